#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The host's hand on a running test guest's devices, over QEMU's QMP socket.

vm/run calls this for a guest's request (the guest writes it into its
control directory): take a simulated VF away or give it back, as Hyper-V
hot-removes and hot-adds a VF.

usage: qmp.py SOCKET del ID [TIMEOUT]
       qmp.py SOCKET add DRIVER id=ID [PROP=VALUE ...]

"del" returns once QEMU reports the device deleted (the guest's PCIe
hot-plug driver let it go: QEMU presses the slot's attention button and
pciehp waits 5 s before it powers the slot off), or fails after TIMEOUT
seconds (default 60).  "add" returns once QEMU created the device; the
guest finds it through the slot's presence change.  Exit status 0 on
success; the reason on stderr otherwise.
"""

import json
import socket
import sys
import time


class Qmp:
    """One QMP session: greeting, capabilities, then commands."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = b""
        self.events = []
        self.read()  # greeting
        self.command("qmp_capabilities")

    def read(self, timeout=30):
        """Next JSON object from QEMU."""
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from QEMU")
            self.sock.settimeout(left)
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("QEMU closed the QMP socket")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def command(self, name, **args):
        """Run a command; return its "return" value or raise its error."""
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            obj = self.read()
            if "event" in obj:
                self.events.append(obj)
                continue
            if "error" in obj:
                raise RuntimeError(f"{name}: {obj['error'].get('desc', obj['error'])}")
            return obj.get("return")

    def wait_event(self, name, dev_id, timeout):
        """Wait for event NAME about device DEV_ID."""
        end = time.monotonic() + timeout
        while True:
            for ev in self.events:
                if ev["event"] == name and ev.get("data", {}).get("device") == dev_id:
                    return
            self.events.clear()
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {name} for {dev_id} within {timeout} s")
            obj = self.read(timeout=left)
            if "event" in obj:
                self.events.append(obj)


def main(argv):
    if len(argv) < 4 or argv[2] not in ("del", "add"):
        print(__doc__, file=sys.stderr)
        return 2
    path, op = argv[1], argv[2]
    if op == "del":
        dev_id = argv[3]
    else:
        props = {"driver": argv[3]}
        for kv in argv[4:]:
            k, _, v = kv.partition("=")
            props[k] = v
        dev_id = props.get("id")
        if not dev_id:
            print(__doc__, file=sys.stderr)
            return 2
    try:
        qmp = Qmp(path)
        if op == "del":
            timeout = float(argv[4]) if len(argv) > 4 else 60.0
            qmp.command("device_del", id=dev_id)
            qmp.wait_event("DEVICE_DELETED", dev_id, timeout)
        else:
            qmp.command("device_add", **props)
    except (OSError, RuntimeError, ValueError) as e:
        print(f"qmp {op} {dev_id}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
