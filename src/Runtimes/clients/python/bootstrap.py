"""Runtime client for the python3.* runtimes.

Speaks the Lambda Runtime API (2018-06-01) to the node, imports the handler the way Lambda's Python
runtime does (module.function, folders as packages) and formats logging records as Lambda does.
"""
import decimal
import importlib
import json
import logging
import os
import socket
import sys
import time
import traceback


def _await_assignment():
    """A runtime started before its function (this node's pre-started runtimes): waits in GET /runtime/assignment, then
    takes the function's environment exactly as a fresh process would have had it, its search paths and working folder
    included; the code it imports has just been mounted at /var/task and /opt."""
    host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rsplit(":", 1)
    old_paths = [p for p in os.environ.get("PYTHONPATH", "").split(":") if p]
    # Emptied before waiting: the node rewrites the memory the original variables live in (/proc/self/environ).
    os.environ.clear()
    connection = socket.create_connection((host, int(port)))
    connection.sendall(b"GET /2018-06-01/runtime/assignment HTTP/1.1\r\nHost: runtime\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            sys.exit(1)  # the node stopped this runtime before giving it a function
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int([line.split(b":", 1)[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")][0])
    while len(body) < length:
        body += connection.recv(65536)
    connection.close()
    environment = json.loads(body)["environment"]
    new_paths = [p for p in environment.get("PYTHONPATH", "").split(":") if p]
    os.environ.update(environment)
    if sys.path[1:1 + len(old_paths)] == old_paths:
        sys.path[1:1 + len(old_paths)] = new_paths
    os.chdir(environment["LAMBDA_TASK_ROOT"])
    os.environ["PWD"] = environment["LAMBDA_TASK_ROOT"]  # what the shell that starts a fresh runtime exports
    time.tzset()
    # Folders that were empty (or absent) when the interpreter looked hold the function's code now.
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()


if "_LAMBDA_CLUSTER_PRESTART" in os.environ:
    _await_assignment()

_API_HOST, _API_PORT = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
# Set by the node for a SnapStart template in a sandbox: each fork isolates itself (its /tmp's size, in MB). Not the function's.
_FORK_SANDBOX_TMP_MB = os.environ.pop("_LAMBDA_CLUSTER_FORK_SANDBOX", None)
_TASK_ROOT = os.environ["LAMBDA_TASK_ROOT"]
_HANDLER = os.environ["_HANDLER"]
_PREFIX = "/2018-06-01/runtime"
_current_request_id = None


class _Headers(dict):
    """Response headers by lower-case name; get() takes any case, as HTTP header names are case-insensitive."""

    def get(self, name, default=None):
        return dict.get(self, name.lower(), default)


class _RuntimeApi:
    """The Runtime API over one keep-alive connection, HTTP/1.1 written and read by hand.

    A warm invocation is one POST of its answer, answered with the next event (answer_then_next). Through http.client
    every response head was parsed with the email package, which was most of the process's CPU per call. The node's
    Runtime API answers with Content-Length (chunked bodies are read too); requests go one at a time, in order.
    """

    def __init__(self, host, port):
        self._address = (host, int(port))
        self._host = ("%s:%s" % (host, port)).encode("ascii")
        self._socket = None
        self._buffer = b""

    def request(self, method, path, body=None, headers=None):
        self._send(self._bytes(method, path, body, headers))
        return self._read_response()

    def answer_then_next(self, path, body, headers):
        """POST an invocation's answer and be answered with the next event, as GET /next answers (this node's
        Lambda-Cluster-Then-Next: one exchange per warm invocation, so the process wakes once per event, not twice)."""
        headers = dict(headers)
        headers["Lambda-Cluster-Then-Next"] = "1"
        self._send(self._bytes("POST", path, body, headers))
        return self._read_response()

    def _bytes(self, method, path, body, headers):
        head = b"%s %s HTTP/1.1\r\nHost: %s\r\n" % (method.encode("ascii"), path.encode("ascii"), self._host)
        if body is not None:
            head += b"Content-Length: %d\r\n" % len(body)
        for name, value in (headers or {}).items():
            head += ("%s: %s\r\n" % (name, value)).encode("latin-1")
        return head + b"\r\n" + (body or b"")

    def _send(self, data):
        if self._socket is None:
            self._socket = socket.create_connection(self._address)
            self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._buffer = b""
        self._socket.sendall(data)

    def _read_response(self):
        while b"\r\n\r\n" not in self._buffer:
            self._receive()
        end = self._buffer.index(b"\r\n\r\n")
        lines = self._buffer[:end].decode("latin-1").split("\r\n")
        self._buffer = self._buffer[end + 4:]
        status = int(lines[0][9:12])
        headers = _Headers()
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            return status, headers, self._read_chunked()
        length = int(headers.get("content-length", "0"))
        while len(self._buffer) < length:
            self._receive()
        body, self._buffer = self._buffer[:length], self._buffer[length:]
        return status, headers, body

    def _read_chunked(self):
        parts = []
        while True:
            while b"\r\n" not in self._buffer:
                self._receive()
            line, self._buffer = self._buffer.split(b"\r\n", 1)
            size = int(line.split(b";")[0], 16)
            if size == 0:
                while not (self._buffer.startswith(b"\r\n") or b"\r\n\r\n" in self._buffer):
                    self._receive()
                self._buffer = self._buffer[2:] if self._buffer.startswith(b"\r\n") else self._buffer.split(b"\r\n\r\n", 1)[1]
                return b"".join(parts)
            while len(self._buffer) < size + 2:
                self._receive()
            parts.append(self._buffer[:size])
            self._buffer = self._buffer[size + 2:]

    def _receive(self):
        data = self._socket.recv(65536)
        if not data:
            self._socket.close()
            self._socket = None
            raise ConnectionError("the Runtime API closed the connection")
        self._buffer += data


_runtime_api = _RuntimeApi(_API_HOST, _API_PORT)


class FaultException(Exception):
    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace


def _request(method, path, body=None, headers=None):
    return _runtime_api.request(method, _PREFIX + path, body, headers)


def _post_json(path, document, headers=None):
    body = json.dumps(document).encode("utf-8")
    all_headers = {"Content-Type": "application/json"}
    all_headers.update(headers or {})
    return _request("POST", path, body, all_headers)


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _current_request_id
        return True


class _LambdaLogHandler(logging.Handler):
    """One event per record: newlines inside a message become \\r, as the Lambda log sink does."""

    def emit(self, record):
        try:
            message = self.format(record).replace("\n", "\r")
            sys.stdout.write(message + "\n")
            sys.stdout.flush()
        except Exception:
            self.handleError(record)


class _LambdaFormatter(logging.Formatter):
    converter = time.gmtime


# Attributes every LogRecord has; any other (a logging call's extra=) goes into a JSON record as its own field.
_RECORD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "aws_request_id"}


class _JsonFormatter(logging.Formatter):
    """LoggingConfig LogFormat JSON: one object per record, with the fields AWS's Python client writes (timestamp,
    level, message, logger, requestId; stackTrace, errorType, errorMessage and location with an exception; extras)."""

    def format(self, record):
        levelno = min(50, max(0, record.levelno)) // 10 * 10
        document = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % record.msecs,
            "level": logging.getLevelName(levelno),
            "message": record.getMessage(),
            "logger": record.name,
        }
        if record.exc_info:
            document["stackTrace"] = traceback.format_tb(record.exc_info[2])
            document["errorType"] = record.exc_info[0].__name__
            document["errorMessage"] = str(record.exc_info[1])
        if getattr(record, "aws_request_id", None):
            document["requestId"] = record.aws_request_id
        if record.exc_info:
            document["location"] = "%s:%s:%d" % (record.pathname, record.funcName, record.lineno)
        for key, value in record.__dict__.items():
            if key not in _RECORD_FIELDS and key not in document and value is not None:
                document[key] = value
        return json.dumps(document, ensure_ascii=False, default=str)


def _setup_logging():
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    handler = _LambdaLogHandler()
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(_LambdaFormatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
    if level:
        root.setLevel("DEBUG" if level.upper() == "TRACE" else level.upper())


def _stack(tb):
    return traceback.format_list(traceback.extract_tb(tb))


def _error_document(error_type, message, tb, request_id=None):
    document = {"errorMessage": message, "errorType": error_type}
    if request_id:
        document["requestId"] = request_id
    document["stackTrace"] = _stack(tb) if tb is not None else []
    return document


def _log_error(document):
    lines = ["[ERROR] %s: %s" % (document["errorType"], document["errorMessage"])]
    if document.get("stackTrace"):
        lines.append("Traceback (most recent call last):")
        for frame in document["stackTrace"]:
            lines.append(frame.rstrip("\n").replace("  ", "\u00a0\u00a0"))
    sys.stdout.write("\r".join(lines).replace("\n", "\r") + "\n")
    sys.stdout.flush()


def _load_handler():
    try:
        module_name, function_name = _HANDLER.rsplit(".", 1)
    except ValueError as e:
        raise FaultException("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (_HANDLER, e))
    module_name = module_name.replace("/", ".")
    if module_name in sys.builtin_module_names:
        raise FaultException(
            "Runtime.BuiltInModuleConflict",
            "Cannot use built-in module %s as a handler module" % module_name)
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise FaultException("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, e))
    except SyntaxError as e:
        raise FaultException(
            "Runtime.UserCodeSyntaxError",
            "Syntax error in module '%s': %s" % (module_name, e),
            e.__traceback__)
    handler = getattr(module, function_name, None)
    if handler is None:
        raise FaultException(
            "Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))
    return handler


class _Identity:
    def __init__(self, raw):
        data = json.loads(raw) if raw else {}
        self.cognito_identity_id = data.get("cognitoIdentityId")
        self.cognito_identity_pool_id = data.get("cognitoIdentityPoolId")


class _Client:
    def __init__(self, data):
        self.installation_id = data.get("installation_id")
        self.app_title = data.get("app_title")
        self.app_version_name = data.get("app_version_name")
        self.app_version_code = data.get("app_version_code")
        self.app_package_name = data.get("app_package_name")


class _ClientContext:
    def __init__(self, data):
        self.client = _Client(data["client"]) if data.get("client") else None
        self.custom = data.get("custom")
        self.env = data.get("env")


class LambdaContext:
    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms", "0"))
        self.identity = _Identity(headers.get("Lambda-Runtime-Cognito-Identity"))
        raw_context = headers.get("Lambda-Runtime-Client-Context")
        self.client_context = _ClientContext(json.loads(raw_context)) if raw_context else None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def log(self, message):
        sys.stdout.write(str(message))
        sys.stdout.flush()

    def __repr__(self):
        return ("LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,"
                "memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s,client_context=%s,identity=%s])"
                % (self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name,
                   self.memory_limit_in_mb, self.function_version, self.invoked_function_arn,
                   self.client_context, self.identity))


# As AWS's Python runtime client: non-ASCII characters are written as they are from python3.12 on, escaped before.
_ENSURE_ASCII = os.environ.get("AWS_EXECUTION_ENV") in ("AWS_Lambda_python3.9", "AWS_Lambda_python3.10", "AWS_Lambda_python3.11")


class _HasDecimal(Exception):
    pass


def _default(value):
    if isinstance(value, decimal.Decimal):
        raise _HasDecimal()
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


def _to_json(result):
    """The response as AWS's client writes it: a Decimal is its exact digits as a raw JSON number (NaN as NaN).

    The standard encoder cannot write raw text, so a response holding Decimals is encoded with each one swapped for a
    marker string that is then replaced by the digits; responses without any take the fast path.
    """
    try:
        return json.dumps(result, default=_default, ensure_ascii=_ENSURE_ASCII)
    except _HasDecimal:
        pass
    nonce = os.urandom(8).hex()
    raw = {}

    def mark(value):
        if isinstance(value, decimal.Decimal):
            token = "%s-%d" % (nonce, len(raw))
            raw['"' + token + '"'] = "NaN" if value.is_nan() else str(value)
            return token
        raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)

    text = json.dumps(result, default=mark, ensure_ascii=_ENSURE_ASCII)
    for token, digits in raw.items():
        text = text.replace(token, digits)
    return text


def _handle(handler, headers, body):
    request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
    try:
        event = json.loads(body) if headers.get("Content-Type") == "application/json" else body
        context = LambdaContext(headers)
        result = handler(event, context)
    except Exception as e:
        _, _, tb = sys.exc_info()
        document = _error_document(type(e).__name__, str(e), tb.tb_next if tb else None, request_id)
        _log_error(document)
        return "error", document
    if isinstance(result, (bytes, bytearray)):
        return "bytes", bytes(result)
    try:
        return "json", _to_json(result).encode("utf-8")
    except Exception as e:
        document = _error_document(
            "Runtime.MarshalError", "Unable to marshal response: %s" % e, None, request_id)
        _log_error(document)
        return "error", document


def _run_hooks(hooks):
    for func, args, kwargs in hooks:
        func(*args, **kwargs)


def _report_hook_failure(path, error_type):
    _, value, tb = sys.exc_info()
    document = _error_document(type(value).__name__, str(value), tb, None)
    _log_error(document)
    _post_json(path, document, {"Lambda-Runtime-Function-Error-Type": error_type})


_SPARES = 2  # isolated forks a sandboxed template keeps ready, so that a restore does not wait for a fork
_SPARE_DELAY = 0.05  # seconds between handing out a spare and making the next


def _snap_start():
    """SnapStart, as AWS's client runs it: before-snapshot hooks in reverse order of registration, then
    GET /runtime/restore/next, then after-restore hooks in order of registration (errors: Runtime.BeforeSnapshotError
    to /init/error and exit 64, Runtime.AfterRestoreError to /restore/error and exit 65).

    Here the snapshot is this process: it stays parked in restore/next as the version's template, and each answer that
    names a new Runtime API endpoint (Lambda-Cluster-Fork-Api) is a restore: a fork of it becomes that endpoint's
    environment. In a sandbox the template keeps spares: forks already in namespaces of their own
    (lambda_cluster_fork), each waiting on a pipe for its order, and makes a new one after handing one out; a fork
    costs several milliseconds of page copying. Only a fork returns from this function.
    """
    import snapshot_restore_py
    try:
        _run_hooks(reversed(snapshot_restore_py.get_before_snapshot()))
    except Exception:
        _report_hook_failure("/init/error", "Runtime.BeforeSnapshotError")
        sys.exit(64)
    sys.stdout.flush()
    sys.stderr.flush()
    spares = []
    order = None
    if _FORK_SANDBOX_TMP_MB:
        import lambda_cluster_fork  # imported once here (ctypes costs ~30 ms), not in every fork
        for _ in range(_SPARES):
            order = order or _add_spare(spares)
    while order is None:
        status, headers, body = _request("GET", "/restore/next")
        if status != 200:
            sys.stderr.write("Runtime API /restore/next answered %d: %s\n" % (status, body.decode("utf-8", "replace")))
            sys.exit(1)
        reap = headers.get("Lambda-Cluster-Reap")
        if reap:
            try:
                os.waitpid(int(reap), os.WNOHANG)
            except ChildProcessError:
                pass
        address = headers.get("Lambda-Cluster-Fork-Api")
        if not address:
            continue
        # Where the environment answers, where its output goes, and credentials of its own (the template's expire).
        fields = [address] + [headers.get(name) or "" for name in (
            "Lambda-Cluster-Fork-Output", "Lambda-Cluster-Access-Key-Id", "Lambda-Cluster-Secret-Access-Key", "Lambda-Cluster-Session-Token")]
        if not _FORK_SANDBOX_TMP_MB:
            if os.fork() == 0:
                order = fields
            continue
        if not spares:
            order = _add_spare(spares)  # a burst used them up: one now
            if order is not None:
                break
        _, pipe = spares.pop(0)
        os.write(pipe, ("\t".join(fields) + "\n").encode("utf-8"))
        os.close(pipe)
        if spares:
            # A fork's page copying takes the CPU the restore just handed out needs (restores took twice as long):
            # the next spare is made a moment later, while another one still waits.
            time.sleep(_SPARE_DELAY)
        order = _add_spare(spares)
    _restored(order)
    try:
        _run_hooks(snapshot_restore_py.get_after_restore())
    except Exception:
        _report_hook_failure("/restore/error", "Runtime.AfterRestoreError")
        sys.exit(65)


def _add_spare(spares):
    """Forks a spare: it drops the template's connection, isolates itself (lambda_cluster_fork) and waits on a pipe.
    Returns None in the template; in the spare's runtime, once the template hands it a restore, that order's fields."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(read_end)
        spares.append((pid, write_end))
        return None
    os.close(write_end)
    for _, other in spares:
        os.close(other)  # the other spares' orders are not this one's
    _runtime_api._socket = None  # the template's connection stays the template's (it holds it open)
    import lambda_cluster_fork
    lambda_cluster_fork.isolate(int(_FORK_SANDBOX_TMP_MB))
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(read_end, 65536)
        if not chunk:
            os._exit(0)  # the template is gone
        data += chunk
    os.close(read_end)
    return data.decode("utf-8").rstrip("\n").split("\t")


def _restored(order):
    """In a fork: its own Runtime API endpoint, output pipe and credentials; then it checks in with the node (which moves
    it into the environment's control group) before running any of the function's code."""
    global _runtime_api
    address, output = order[0], order[1]
    for variable, value in zip(("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"), order[2:5]):
        if value:
            os.environ[variable] = value
    host, port = address.split(":")
    os.environ["AWS_LAMBDA_RUNTIME_API"] = address
    _runtime_api._socket = None  # unconfined forks still hold the template's connection: it stays the template's
    _runtime_api = _RuntimeApi(host, port)
    pipe = os.open(output, os.O_WRONLY)
    os.dup2(pipe, 1)
    os.dup2(pipe, 2)
    os.close(pipe)
    if _FORK_SANDBOX_TMP_MB:
        # Pids as the template's namespace numbers them (its /proc): the waiting parent, and this runtime (PID 1 of its own).
        check_in = {"Lambda-Cluster-Fork-Pid": open("/proc/self/stat").read().rsplit(")", 1)[1].split()[1],
                    "Lambda-Cluster-Runtime-Pid": os.readlink("/proc/self")}
    else:
        os.setsid()  # unconfined: a session and process group of its own, which the node kills whole
        check_in = {"Lambda-Cluster-Fork-Pid": str(os.getpid())}
    status, _, body = _request("GET", "/restore/next", headers=check_in)
    if status != 200:
        sys.stderr.write("Runtime API /restore/next answered %d: %s\n" % (status, body.decode("utf-8", "replace")))
        os._exit(1)


def main():
    global _current_request_id
    _setup_logging()
    sys.path.insert(0, _TASK_ROOT)
    try:
        handler = _load_handler()
    except FaultException as e:
        document = _error_document(e.error_type, e.message, e.trace, None)
        _log_error(document)
        _post_json("/init/error", document, {"Lambda-Runtime-Function-Error-Type": e.error_type})
        sys.exit(1)
    except Exception as e:
        _, _, tb = sys.exc_info()
        document = _error_document(type(e).__name__, str(e), tb, None)
        _log_error(document)
        _post_json("/init/error", document, {"Lambda-Runtime-Function-Error-Type": "Runtime.Unknown"})
        sys.exit(1)

    if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
        _snap_start()

    # Each answer is also the long poll for the next event (Lambda-Cluster-Then-Next).
    status, headers, body = _request("GET", "/invocation/next")
    while True:
        if status != 200:
            sys.stderr.write("Runtime API /next answered %d: %s\n" % (status, body.decode("utf-8", "replace")))
            sys.exit(1)
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        _current_request_id = request_id
        trace_id = headers.get("Lambda-Runtime-Trace-Id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)

        kind, result = _handle(handler, headers, body)
        sys.stdout.flush()
        sys.stderr.flush()
        if kind == "error":
            answer, content_type = json.dumps(result).encode("utf-8"), "application/json"
            path = "/invocation/%s/error" % request_id
        else:
            answer, content_type = result, "application/unknown" if kind == "bytes" else "application/json"
            path = "/invocation/%s/response" % request_id
        status, headers, body = _runtime_api.answer_then_next(_PREFIX + path, answer, {"Content-Type": content_type})
        if status == 202:  # a Runtime API that does not know the header (a proxy's) answers as Lambda does
            status, headers, body = _request("GET", "/invocation/next")


if __name__ == "__main__":
    main()
