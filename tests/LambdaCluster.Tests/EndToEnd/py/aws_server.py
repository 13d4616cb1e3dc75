"""The aws CLI kept running: reads one JSON request per line on stdin ({"args": [...], "env": {...}}), runs the CLI's own
driver on the arguments (the same parsing, requests, errors and output as `aws ...`, with the variables in "env" set for
it), and writes one JSON line {"rc", "stdout", "stderr"}. Ends when stdin closes. The tests' Tools.AwsAsync keep a few of
these instead of starting the CLI (about 0.7 s of CPU) for every call."""
import contextlib
import io
import json
import os
import sys

from awscli.clidriver import create_clidriver


def main():
    answers = sys.stdout
    driver = create_clidriver()
    for line in sys.stdin:
        request = json.loads(line)
        os.environ.update(request.get("env", {}))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = driver.main(request["args"])
            except SystemExit as exit:
                rc = exit.code if isinstance(exit.code, int) else 1
            except Exception as error:  # a fault of the CLI itself: the test sees it as a failed command
                print(f"aws_server: {type(error).__name__}: {error}", file=sys.stderr)
                rc = 255
        answers.write(json.dumps({"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()}) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
