"""Isolates an environment forked from a SnapStart template inside the template's sandbox.

The template runs unprivileged (no capabilities, no_new_privs), so a fork cannot be given a sandbox of its own from
outside; it makes one from inside, with what an unprivileged process may do on Linux (user_namespaces(7)):
- a user namespace of its own, mapping only its own user and group (the same ids, so /etc/passwd still names it);
- a mount namespace of its own, with a fresh /tmp (tmpfs, bounded by the function's ephemeral storage): it sees
  nothing a sibling or the template wrote there;
- a PID namespace of its own, in which the runtime is PID 1: it cannot signal a sibling, and when it dies every
  process it started dies with it. This process stays outside as the runtime's parent and exits as it exits;
- then it gives up the capabilities the new user namespace granted.
Forks of one template share its host user and its view of /proc (the PID namespace's own /proc cannot be mounted
under bubblewrap's), so they can see one another's processes there: they are environments of the same function
version, never of another function.
The node has already moved this process into the environment's control group, so the runtime is born there.
"""
import ctypes
import os
import signal

_CLONE_NEWNS = 0x00020000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWPID = 0x20000000
_MS_NOSUID = 2
_MS_NODEV = 4
_PR_CAPBSET_DROP = 24
_CAPABILITY_VERSION_3 = 0x20080522

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, "%s: %s" % (what, os.strerror(errno)))


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def _mirror(child):
    """Waits for the runtime and ends as it ended (the same exit status, or the same signal)."""
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)


def _drop_capabilities():
    for capability in range(64):
        if _libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            break  # past the last capability this kernel knows
    header = (ctypes.c_uint32 * 2)(_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    _check(_libc.capset(header, data), "capset")


def isolate(tmp_size_mb):
    """Returns in the runtime (PID 1 of its namespaces); the calling process waits for it and never returns."""
    uid, gid = os.getuid(), os.getgid()
    _check(_libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNS | _CLONE_NEWPID), "unshare")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", "%d %d 1" % (uid, uid))
    _write("/proc/self/gid_map", "%d %d 1" % (gid, gid))
    child = os.fork()
    if child:
        _mirror(child)
    _check(_libc.mount(b"tmpfs", b"/tmp", b"tmpfs", _MS_NOSUID | _MS_NODEV,
                       b"size=%dm,mode=1777" % tmp_size_mb), "mount /tmp")
    _drop_capabilities()
