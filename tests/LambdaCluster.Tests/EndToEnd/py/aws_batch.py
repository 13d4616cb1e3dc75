"""Runs aws CLI commands one after another in one process (the CLI's own driver, so the same parsing, requests and
output as `aws ...`), without paying the CLI's start (about 0.7 s of CPU) for each. Reads a JSON list of argument
lists on stdin; writes a JSON list of {"rc", "stdout", "stderr"} for them. Argument 1: the endpoint."""
import contextlib
import io
import json
import sys

from awscli.clidriver import create_clidriver


def main():
    endpoint = sys.argv[1]
    commands = json.load(sys.stdin)
    driver = create_clidriver()
    results = []
    for arguments in commands:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = driver.main(["--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json", *arguments])
            except SystemExit as exit:
                rc = exit.code if isinstance(exit.code, int) else 1
        results.append({"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
