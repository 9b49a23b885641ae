"""gdb helpers for unikit images, loaded by `unikit debug` (or by hand:
`source cli/unikit/gdb/unikit.py` in gdb). gdb's own Python API only.

  uk-threads [N]   every uksched thread: tid, name, state, flags, and a
                   backtrace of N frames (default 12; 0: none). Threads that
                   are not running are shown by loading the registers their
                   last context switch saved (archs/x86_64/src/ctx.S), running
                   `bt`, and putting the real registers back.
  uk-log           the kernel's console ring, if the image keeps one (none
                   does today: it says so instead of printing nothing).

Everything read from the target is bounded: a corrupt thread list ends the
walk after MAX_THREADS entries or at the first unreadable one.
"""
import gdb

MAX_THREADS = 4096
MAX_NAME = 64
STATES = {0: "runnable", 1: "blocked", 2: "exited"}
FLAGS = [(0x1, "detached"), (0x2, "joining"), (0x4, "main"), (0x8, "extstack")]
# ukarch_ctx_switch pushes rbp, rbx, r12-r15 below its return address and
# stores rsp in ctx.sp: from ctx.sp upwards r15 r14 r13 r12 rbx rbp rip
SAVED = ["r15", "r14", "r13", "r12", "rbx", "rbp"]


def _default_sched():
    """uksched's `default_sched` (a file-static in sched.c), or None."""
    for expr in ("default_sched", "'sched.c'::default_sched"):
        try:
            v = gdb.parse_and_eval(expr)
            return v
        except gdb.error:
            continue
    return None


def _string(ptr):
    try:
        if int(ptr) == 0:
            return "(null)"
        return ptr.string(length=MAX_NAME, errors="replace").split("\0", 1)[0]
    except gdb.error:
        return f"<unreadable {int(ptr):#x}>"


def _u64(addr):
    inf = gdb.selected_inferior()
    return int.from_bytes(bytes(inf.read_memory(addr, 8)), "little")


def _flags(f):
    names = [n for bit, n in FLAGS if f & bit]
    return ",".join(names) if names else "-"


class UkThreads(gdb.Command):
    """List uksched's threads with their state and a backtrace each.
Usage: uk-threads [FRAMES]   (FRAMES: backtrace depth, default 12, 0: none)"""

    def __init__(self):
        super().__init__("uk-threads", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        depth = 12
        if arg.strip():
            try:
                depth = int(arg.strip())
            except ValueError:
                raise gdb.GdbError("uk-threads: FRAMES must be a number")
        s = _default_sched()
        if s is None:
            raise gdb.GdbError("uk-threads: no `default_sched` symbol: this image does not link "
                               "uksched (or was built without debug information)")
        if int(s) == 0:
            print("uk-threads: the scheduler is not initialised yet (default_sched is NULL)")
            return
        try:
            cur = int(s["current"])
            t = s["threads"]
            nr = int(s["nr_threads"])
        except gdb.MemoryError as e:
            raise gdb.GdbError(f"uk-threads: cannot read the scheduler at {int(s):#x}: {e}")
        print(f"uksched: {nr} thread(s) alive, {int(s['nr_switches'])} switches")
        seen = 0
        while int(t) != 0 and seen < MAX_THREADS:
            seen += 1
            try:
                th = t.dereference()
                tid, name = int(th["tid"]), _string(th["name"])
                state = int(th["state"])
                flags = int(th["flags"])
                sp = int(th["ctx"]["sp"])
                nxt = th["all_next"]
            except gdb.MemoryError as e:
                print(f"  <thread list ends at an unreadable entry {int(t):#x}: {e}>")
                return
            here = int(t) == cur
            print(f"{'*' if here else ' '} tid {tid} \"{name}\" {STATES.get(state, state)} "
                  f"flags {_flags(flags)} (struct uk_thread *){int(t):#x}"
                  + ("" if here else f" saved sp {sp:#x}"))
            if depth > 0 and state != 2:
                if here:
                    gdb.execute(f"bt {depth}")
                else:
                    self._saved_bt(sp, depth)
            t = nxt
        if seen >= MAX_THREADS and int(t) != 0:
            print(f"  <stopped after {MAX_THREADS} threads: the list looks corrupt>")

    @staticmethod
    def _saved_bt(sp, depth):
        """Backtrace of a switched-out thread: its saved registers loaded into
        the CPU for the time of one `bt` (gdb's unwinder does the rest)."""
        try:
            vals = [_u64(sp + 8 * i) for i in range(len(SAVED) + 1)]
        except gdb.MemoryError as e:
            print(f"    <saved context at {sp:#x} unreadable: {e}>")
            return
        gdb.newest_frame().select()
        names = SAVED + ["rip", "rsp"]
        old = {r: int(gdb.parse_and_eval(f"(unsigned long)${r}")) for r in names}
        new = dict(zip(SAVED + ["rip"], vals))
        new["rsp"] = sp + 8 * (len(SAVED) + 1)
        try:
            for r in names:
                gdb.execute(f"set ${r} = {new[r]:#x}", to_string=True)
            gdb.execute(f"bt {depth}")
        finally:
            for r in names:
                gdb.execute(f"set ${r} = {old[r]:#x}", to_string=True)
            gdb.newest_frame().select()


class UkLog(gdb.Command):
    """Print the kernel's console ring buffer, if the image keeps one."""

    def __init__(self):
        super().__init__("uk-log", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        for sym in ("uk_console_ring", "ukplat_console_ring"):
            try:
                gdb.parse_and_eval(sym)
            except gdb.error:
                continue
            raise gdb.GdbError(f"uk-log: {sym} exists but this helper does not know its layout")
        print("uk-log: this image keeps no console ring (unikit writes the console straight to "
              "the serial port / stdout); the console output is in the terminal or log of "
              "`unikit debug`")


UkThreads()
UkLog()
print("unikit gdb helpers loaded: uk-threads, uk-log")
