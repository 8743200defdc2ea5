#!/usr/bin/env python3
"""The privilege separation, checked on a real install (README, "Frame numbers and the shmviz group").

Run as root by ctest (label `privilege`); without root it prints why and is skipped. It installs
shmviz with `./shmviz.sh install` into a temporary prefix, runs sessions as throwaway uids (setpriv)
inside private IPC and mount namespaces, attacks the helper and the worker, and uninstalls. It
removes what it made: the prefix, and the group shmviz unless that existed before.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

SOURCE = os.environ.get("SHMVIZ_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("SHMVIZ_BUILD_DIR", os.path.join(SOURCE, "build"))
STUDENT, OUTSIDER = 64101, 64102  # throwaway uids without accounts
SESSION = ["shmget 16K", "spawn 2", "shmat all", "touch 0 all", "fork 0", "snapshot",
           "touch 2 all", "snapshot"]
PAGE = os.sysconf("SC_PAGE_SIZE")
PFN_MASK = (1 << 55) - 1


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, **kw)


def group_gid():
    r = run("getent", "group", "shmviz")
    return int(r.stdout.split(":")[2]) if r.returncode == 0 else None


def caps_of(pid):
    """(CapEff, CapPrm) of a live process, or None once it has gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return int(fields["CapEff"], 16), int(fields["CapPrm"], 16), fields["Name"].strip()
    except (FileNotFoundError, ProcessLookupError, KeyError):
        return None


def descendants(pid):
    """pid and every process below it, by walking /proc/*/stat parents."""
    parent = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
                parent[int(entry)] = int(stat[stat.rindex(")") + 2:].split()[1])
            except (FileNotFoundError, ProcessLookupError, ValueError):
                pass
    found, frontier = {pid}, [pid]
    while frontier:
        p = frontier.pop()
        for child, par in parent.items():
            if par == p and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def root_pagemap_pfn(pid, va):
    """What root reads from /proc/PID/pagemap for one virtual address: the frame or None."""
    with open(f"/proc/{pid}/pagemap", "rb") as f:
        f.seek((va // PAGE) * 8)
        entry = int.from_bytes(f.read(8), "little")
    return entry & PFN_MASK if entry >> 63 else None


class Session:
    """A headless shmviz run as `uid` with `groups`, in private IPC and mount namespaces (a
    private /dev/shm), fed one step at a time; the app stays up between steps."""

    def __init__(self, prefix, uid, groups, env=None):
        drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}",
                f"--groups={','.join(map(str, groups))}" if groups else "--clear-groups",
                "--inh-caps=-all", f"{prefix}/bin/shmviz", "--headless"]
        script = "mount -t tmpfs -o mode=1777 shmviz-test /dev/shm && exec \"$@\""
        self.proc = subprocess.Popen(
            ["unshare", "--ipc", "--mount", "--propagation", "private", "sh", "-c", script, "sh"] + drop,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={"PATH": "/usr/bin:/bin", **(env or {})}, cwd="/")
        self.cap_samples = []

    def app_pid(self):
        # unshare -> sh (exec'd into setpriv, then shmviz): the direct child of our Popen pid.
        for pid in descendants(self.proc.pid):
            try:
                if os.readlink(f"/proc/{pid}/exe").endswith("/bin/shmviz"):
                    return pid
            except OSError:
                pass
        return None

    def step(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        self.sample_caps()
        return reply

    def sample_caps(self):
        app = self.app_pid()
        if app is None:
            return
        for pid in descendants(app):
            caps = caps_of(pid)
            if caps:
                self.cap_samples.append((pid,) + caps)

    def close(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        err = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return err


@unittest.skipUnless(os.geteuid() == 0, "needs root: it installs, sets a capability and makes a group")
class PrivilegeTest(unittest.TestCase):
    prefix = None
    group_existed = False

    @classmethod
    def setUpClass(cls):
        cls.group_existed = group_gid() is not None
        cls.prefix = tempfile.mkdtemp(prefix="shmviz-privilege-")
        os.chmod(cls.prefix, 0o755)
        r = run(os.path.join(SOURCE, "shmviz.sh"), "install", cls.prefix,
                env={**os.environ, "SHMVIZ_INSTALL_BUILD_DIR": os.path.abspath(BUILD)})
        if r.returncode != 0:
            raise RuntimeError(f"./shmviz.sh install failed:\n{r.stdout}\n{r.stderr}")
        cls.gid = group_gid()
        cls.helper = f"{cls.prefix}/libexec/shmviz/shmviz-pagemap"
        cls.worker = f"{cls.prefix}/libexec/shmviz/shmviz-worker"
        cls.scratch = tempfile.mkdtemp(prefix="shmviz-privilege-scratch-")
        os.chmod(cls.scratch, 0o755)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch, ignore_errors=True)
        if os.path.exists(f"{cls.prefix}/share/shmviz/install-manifest.txt"):
            run(os.path.join(SOURCE, "shmviz.sh"), "uninstall", cls.prefix)
        shutil.rmtree(cls.prefix, ignore_errors=True)
        if not cls.group_existed and group_gid() is not None:
            run("groupdel", "shmviz")

    def run_session(self, uid, groups, steps=SESSION, env=None, keep=None):
        s = Session(self.prefix, uid, groups, env)
        replies = [s.step(line) for line in steps]
        for _ in range(5):  # and a few more samples of the idle session
            time.sleep(0.05)
            s.sample_caps()
        if keep:
            keep(replies, s)
        stderr = s.close()
        return replies, s.cap_samples, stderr

    def assert_no_capabilities(self, samples):
        self.assertGreaterEqual(len({pid for pid, *_ in samples}), 3, "the app, the guardian and a worker were sampled")
        held = [(pid, name, hex(eff), hex(prm)) for pid, eff, prm, name in samples if eff or prm]
        self.assertEqual(held, [], "processes of the session held capabilities")

    def test_1_install_gives_one_file_one_capability(self):
        r = run("getcap", "-r", self.prefix)
        lines = [line for line in r.stdout.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, r.stdout)
        self.assertTrue(lines[0].startswith(self.helper) and "cap_sys_admin=ep" in lines[0], lines[0])
        st = os.stat(self.helper)
        self.assertEqual((st.st_uid, st.st_gid, st.st_mode & 0o7777), (0, self.gid, 0o750))

    def test_2_group_member_sees_the_frames_root_reads(self):
        checked = []

        def compare(replies, session):
            for reply in replies:
                self.assertTrue(reply["ok"], reply)
            snap = replies[-1]["snapshot"]
            self.assertTrue(snap["pfn_visible"], snap.get("pfn_hidden_reason"))
            self.assertEqual(len(snap["workers"]), 3)
            for w in snap["workers"]:
                for a in w["attachments"]:
                    for p in a["pages"]:
                        root = root_pagemap_pfn(w["pid"], int(p["va"], 16))
                        self.assertEqual(p["pfn"], root, f"worker {w['pid']} at {p['va']}")
                        checked.append((w["pid"], p["pfn"]))
            frames = [[p["pfn"] for p in w["attachments"][0]["pages"]] for w in snap["workers"]]
            self.assertEqual(frames[0], frames[2], "the forked child shares its parent's frames")
            self.assertNotIn(None, frames[2])

        _, samples, _ = self.run_session(STUDENT, [self.gid], keep=compare)
        self.assertEqual(len(checked), 12)
        self.assert_no_capabilities(samples)

    def test_3_outsider_sees_no_frames_and_why(self):
        replies, samples, _ = self.run_session(OUTSIDER, [])
        for reply in replies:
            self.assertTrue(reply["ok"], reply)
        snap = replies[-1]["snapshot"]
        self.assertFalse(snap["pfn_visible"])
        self.assertIn("not in the shmviz group", snap["pfn_hidden_reason"])
        self.assertIn("EACCES", snap["pfn_hidden_reason"])
        pages = snap["workers"][0]["attachments"][0]["pages"]
        self.assertTrue(all(p["present"] for p in pages), "present bits are still shown")
        self.assertTrue(all(p["pfn"] is None for p in pages))
        self.assert_no_capabilities(samples)

    def helper_as(self, uid, groups, parent_argv, **kw):
        """Runs the helper as `uid` under `parent_argv` (a shell line that runs "$HELPER")."""
        g = f"--groups={','.join(map(str, groups))}" if groups else "--clear-groups"
        return run("setpriv", f"--reuid={uid}", f"--regid={uid}", g, "--inh-caps=-all", "sh", "-c",
                   parent_argv, env={"HELPER": self.helper, "PATH": "/usr/bin:/bin"}, **kw)

    def test_4_helper_refuses_anyone_but_its_worker(self):
        # By hand from a shell, with and without a descriptor 3.
        for line in ['"$HELPER"', '"$HELPER" 3</dev/null', '"$HELPER" 3<>/dev/null']:
            r = self.helper_as(STUDENT, [self.gid], line)
            self.assertNotEqual(r.returncode, 0, line)
            self.assertIn("shmviz-pagemap:", r.stderr)
        # Not in the group: the kernel refuses to run it at all.
        r = self.helper_as(OUTSIDER, [], '"$HELPER"')
        self.assertEqual(r.returncode, 126, r.stderr)
        # A process that is not shmviz-worker (python) makes the socket and runs it as its child.
        probe = ("import os,socket,subprocess,sys\n"
                 "a,b=socket.socketpair(socket.AF_UNIX,socket.SOCK_SEQPACKET)\n"
                 "p=subprocess.run([sys.argv[1]],pass_fds=[3],preexec_fn=lambda:os.dup2(b.fileno(),3),"
                 "capture_output=True,text=True)\n"
                 "msg,anc,_,_=a.recvmsg(512,64)\n"
                 "print(p.returncode,len(anc),msg.decode(),p.stderr.strip())\n")
        r = run("setpriv", f"--reuid={STUDENT}", f"--regid={STUDENT}", f"--groups={self.gid}",
                "--inh-caps=-all", "python3", "-c", probe, self.helper)
        code, fds, message = r.stdout.split(" ", 2)
        self.assertNotEqual(code, "0")
        self.assertEqual(fds, "0", "no descriptor was passed")
        self.assertIn("not the shmviz-worker installed beside", message)
        # A shell as parent holding a socket someone else made: the socket's maker is not the parent.
        probe2 = ("import os,socket,subprocess,sys\n"
                  "a,b=socket.socketpair(socket.AF_UNIX,socket.SOCK_SEQPACKET)\n"
                  "p=subprocess.run(['sh','-c','\"$0\"; echo $?',sys.argv[1]],pass_fds=[3],"
                  "preexec_fn=lambda:os.dup2(b.fileno(),3),capture_output=True,text=True)\n"
                  "print(p.stdout.strip(),p.stderr.strip())\n")
        r = run("setpriv", f"--reuid={STUDENT}", f"--regid={STUDENT}", f"--groups={self.gid}",
                "--inh-caps=-all", "python3", "-c", probe2, self.helper)
        self.assertIn("was not made by the parent process", r.stdout)
        self.assertFalse(r.stdout.startswith("0 "), r.stdout)

    def test_4b_helper_ignores_a_preloaded_library(self):
        # The kernel runs a program with file capabilities in secure mode (AT_SECURE), so the
        # dynamic loader ignores LD_PRELOAD and LD_LIBRARY_PATH: no code of the caller runs in it.
        lib = os.path.join(self.scratch, "evil.so")
        marker = os.path.join(self.scratch, "preloaded")
        source = os.path.join(self.scratch, "evil.c")
        with open(source, "w") as f:
            f.write('#include <stdio.h>\n__attribute__((constructor)) static void run(void) {'
                    f' FILE* f = fopen("{marker}", "w"); if (f) fclose(f); }}\n')
        self.assertEqual(run("cc", "-shared", "-fPIC", "-o", lib, source).returncode, 0)
        os.chmod(self.scratch, 0o777)
        try:
            r = run("setpriv", f"--reuid={STUDENT}", f"--regid={STUDENT}", f"--groups={self.gid}",
                    "--inh-caps=-all", "env", f"LD_PRELOAD={lib}", f"LD_LIBRARY_PATH={self.scratch}",
                    self.helper)
            self.assertNotEqual(r.returncode, 0)
            self.assertFalse(os.path.exists(marker), "the preloaded library ran inside shmviz-pagemap")
            # The same library does run in an ordinary program, so the check above can fail.
            run("setpriv", f"--reuid={STUDENT}", f"--regid={STUDENT}", "--clear-groups", "env",
                f"LD_PRELOAD={lib}", "true")
            self.assertTrue(os.path.exists(marker))
        finally:
            os.chmod(self.scratch, 0o755)

    def test_5_a_copied_worker_gets_no_frames(self):
        # A copy of the worker beside a link to the real helper: the helper finds its own directory
        # through the link, and the copy is not the worker installed there.
        copy = os.path.join(self.scratch, "copy")
        os.makedirs(copy, exist_ok=True)
        os.chmod(copy, 0o755)
        shutil.copy2(self.worker, f"{copy}/shmviz-worker")
        os.symlink(self.helper, f"{copy}/shmviz-pagemap")
        replies, samples, _ = self.run_session(STUDENT, [self.gid], ["spawn 1", "snapshot"],
                                               env={"SHMVIZ_WORKER": f"{copy}/shmviz-worker"})
        snap = replies[-1]["snapshot"]
        self.assertFalse(snap["pfn_visible"])
        self.assertIn("not the shmviz-worker installed beside", snap["pfn_hidden_reason"])
        self.assert_no_capabilities(samples)

    def start_worker(self, argv_prefix, worker):
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        p = subprocess.Popen(argv_prefix + [worker, "--fd", "3", "--parent", str(os.getpid())],
                             pass_fds=[3], preexec_fn=lambda: os.dup2(b.fileno(), 3),
                             stderr=subprocess.PIPE, text=True)
        b.close()
        return p, a

    def test_6_tiny_data_limit_ends_the_worker_or_it_holds_nothing(self):
        # A worker carrying a file capability (the old advice) and one run as root, each with a data
        # limit far too small to allocate: after a moment each has ended or holds no capability.
        capped = os.path.join(self.scratch, "capped")
        os.makedirs(capped, exist_ok=True)
        shutil.copy2(self.worker, f"{capped}/shmviz-worker")
        self.assertEqual(run("setcap", "cap_sys_admin+ep", f"{capped}/shmviz-worker").returncode, 0)
        student = ["setpriv", f"--reuid={STUDENT}", f"--regid={STUDENT}", "--clear-groups", "--inh-caps=-all"]
        outcomes = []
        for limit in ("16384", "262144", "1048576", "4194304"):
            for who, prefix in (("root", []), ("student", student)):
                for worker in (self.worker, f"{capped}/shmviz-worker"):
                    p, sock = self.start_worker(prefix + ["prlimit", f"--data={limit}:{limit}"], worker)
                    time.sleep(0.3)
                    caps = caps_of(p.pid) if p.poll() is None else None
                    outcomes.append("ended" if caps is None else "running")
                    if caps is not None:
                        self.assertEqual(caps[:2], (0, 0), f"{who}, data {limit}: {worker} holds {caps}")
                    p.kill()
                    p.communicate()
                    sock.close()
        print("tiny RLIMIT_DATA outcomes:", {o: outcomes.count(o) for o in set(outcomes)}, file=sys.stderr)
        # Without the data limit the capped copy refuses to run at all, and says why.
        p, sock = self.start_worker(["setpriv", f"--reuid={STUDENT}", f"--regid={STUDENT}", "--clear-groups",
                                     "--inh-caps=-all"], f"{capped}/shmviz-worker")
        _, err = p.communicate(timeout=10)
        self.assertEqual(p.returncode, 126)
        self.assertIn("refusing to run while holding capabilities", err)
        sock.close()

    def test_9_uninstall_leaves_nothing(self):
        r = run(os.path.join(SOURCE, "shmviz.sh"), "uninstall", self.prefix)
        self.assertEqual(r.returncode, 0, r.stderr)
        left = [os.path.join(d, n) for d, dirs, files in os.walk(self.prefix) for n in dirs + files]
        self.assertEqual(left, [])
        if not self.group_existed:
            self.assertIsNone(group_gid(), "the group the install created is gone")


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("SKIP: the privilege tests need root (they install, set a capability and make a group)")
        sys.exit(77)
    unittest.main(verbosity=2)
