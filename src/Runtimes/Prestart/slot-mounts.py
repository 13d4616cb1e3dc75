"""The mount namespace where pre-started runtimes' sandboxes are built, and the mounts that give them their functions.

Started by the node (Prestart/SlotMountHelper.cs) with the slots' folder as its argument. It dies with the node
(PR_SET_PDEATHSIG), and its mount namespace, every slot's mount included, goes with it: nothing a killed node
mounted outlives it. In its namespace (a private copy of the node's) the slots' folder is a shared mount; the sandboxes
are built inside it (nsenter), so bubblewrap's binds of a slot's task and opt folders are its slaves and a bind
made here later appears inside them. Commands on stdin, one per line, tab-separated; each is answered "ok" or
"error <text>":
    bind <source> <target>   binds source read-only onto target (through a private staging folder, so that the
                             copies propagated into the sandboxes are read-only too)
    detach <target>          lazily unmounts target
"""
import ctypes
import os
import signal
import sys

MS_RDONLY, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE, MS_SHARED = 1, 32, 4096, 16384, 1 << 18, 1 << 20
CLONE_NEWNS, MNT_DETACH, PR_SET_PDEATHSIG = 0x00020000, 2, 1
libc = ctypes.CDLL(None, use_errno=True)


def check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, "%s: %s" % (what, os.strerror(errno)))


def mount(source, target, flags):
    check(libc.mount(source.encode() if source else None, target.encode(), None, ctypes.c_ulong(flags), None), "mount " + target)


def main(slots):
    check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl")
    if os.getppid() == 1:
        return  # the node died before the line above
    check(libc.unshare(CLONE_NEWNS), "unshare")
    mount(None, "/", MS_REC | MS_PRIVATE)
    staging = slots + "-staging"
    os.makedirs(slots, exist_ok=True)
    os.makedirs(staging, exist_ok=True)
    mount(slots, slots, MS_BIND)
    mount(None, slots, MS_SHARED)
    print("ready", flush=True)
    for line in sys.stdin:
        command = line.rstrip("\n").split("\t")
        try:
            if command[0] == "bind":
                source, target = command[1], command[2]
                mount(source, staging, MS_BIND)
                try:
                    mount(None, staging, MS_REMOUNT | MS_BIND | MS_RDONLY)
                    mount(staging, target, MS_BIND)
                finally:
                    libc.umount2(staging.encode(), MNT_DETACH)
            elif command[0] == "detach":
                libc.umount2(command[1].encode(), MNT_DETACH)
            else:
                raise OSError(0, "unknown command " + command[0])
            print("ok", flush=True)
        except OSError as e:
            print("error " + str(e), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
