#!/usr/bin/env python3
"""Prints the system libraries, one GN `libs` entry per line.

Static archives are named as ":libX.a" so that GN's "-l" prefix yields the
linker's exact-file form "-l:libX.a". CMakeLists.txt calls this too, with
--cmake, so both build systems link the same things in the same order.
"""
import subprocess
import sys

ABSL = ["absl_status", "absl_statusor", "absl_strings", "absl_str_format",
        "absl_flat_hash_map", "absl_time", "absl_cleanup"]
STATIC = ["seccomp", "cap", "gflags"]
DYNAMIC = ["pthread", "rt", "atomic"]


def main():
    out = subprocess.run(["pkg-config", "--libs-only-l"] + ABSL, check=True,
                         capture_output=True, text=True).stdout.split()
    absl = []
    for flag in out:
        name = flag[2:]
        if name.startswith("absl_") and name not in absl:
            absl.append(name)
    libs = [":lib%s.a" % n for n in absl + STATIC] + DYNAMIC
    if "--cmake" in sys.argv:
        print(";".join("-l" + l for l in libs), end="")
    else:
        print("\n".join(libs))


main()
