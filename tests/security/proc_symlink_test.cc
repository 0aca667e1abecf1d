// CVE-2025-52881 shape: a rootfs whose /proc is a symlink, or is flipped to
// one by another writer (a shared volume, the host) while the container
// starts, must never leave the container a procfs without its masks and
// read-only paths. Applied by path after the mount, they land on whatever
// /proc names by then (a decoy), and the real procfs keeps /proc/sys
// writable. The runtime must either refuse the start or protect the procfs
// it mounted, wherever that ended up.
//
// Nothing here writes a value a procfs did not already hold: the write
// probe puts the container's own hostname (its UTS namespace) back.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

// Prints, for each candidate name that is a real procfs (the decoy has no
// self/), whether its /proc/sys takes a write and what its masked files
// are. "found=N" counts the real ones.
constexpr char kProbe[] = R"sh(found=0
for p in /proc /proclink /procreal /decoy; do
  cd "$p" 2>/dev/null || continue
  [ -e self/stat ] || continue
  found=$((found+1))
  echo "procfs at $p"
  v=$(cat sys/kernel/hostname)
  if (echo "$v" > sys/kernel/hostname) 2>/dev/null; then echo "WRITABLE sys"; fi
  grep -q " $p/sys ro," self/mountinfo && echo "sys ro"
  grep -q " $p/irq ro," self/mountinfo && echo "irq ro"
  echo "keys $(stat -c %F:%t:%T keys)"
  echo "timer_list $(stat -c %F:%t:%T timer_list)"
  grep " $p/acpi ro," self/mountinfo | grep -q " - tmpfs " && echo "acpi tmpfs"
done
echo "found=$found")sh";

constexpr char kProtected[] =
    "sys ro\nirq ro\n"
    "keys character special file:1:3\n"
    "timer_list character special file:1:3\n"
    "acpi tmpfs\n";

class ProcSymlinkTest : public RunOciE2eTest {
 protected:
  void SetUp() override {
    RunOciE2eTest::SetUp();
    // The decoy a flipped /proc points at: files where the masks and
    // read-only binds expect them, so that protections applied to it
    // succeed and hide the miss.
    const std::string decoy = Rootfs() + "/decoy";
    ASSERT_EQ(mkdir(decoy.c_str(), 0755), 0);
    ASSERT_EQ(mkdir((decoy + "/sys").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((decoy + "/sys/kernel").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((decoy + "/acpi").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((decoy + "/irq").c_str(), 0755), 0);
    for (const char* f : {"keys", "timer_list", "sys/kernel/hostname"}) {
      ASSERT_TRUE(ocitest::WriteFile(decoy + "/" + f, "decoy\n").ok());
    }
  }

  // runc's shape of protections, a pid, mount, uts, ipc and network
  // namespace, and `hooks_json` (may be empty).
  void WriteProbeConfig(const std::string& script,
                        const std::string& hooks_json = "") {
    const std::string json = absl::StrCat(
        ShellConfigUpToNamespaces(script),
        R"("maskedPaths":["/proc/keys","/proc/timer_list","/proc/acpi"],)",
        R"("readonlyPaths":["/proc/sys","/proc/irq"]})",
        hooks_json.empty() ? "" : absl::StrCat(R"(,"hooks":)", hooks_json),
        "}");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }

  // The decoy's files are what the test wrote: nothing was bound over or
  // written through them on the host side.
  void ExpectDecoyUntouched() {
    for (const char* f : {"keys", "timer_list", "sys/kernel/hostname"}) {
      EXPECT_EQ(ocitest::ReadFile(Rootfs() + "/decoy/" + f).value_or(""),
                "decoy\n")
          << f;
    }
  }
};

TEST_F(ProcSymlinkTest, ProcThatIsASymlinkIsRefused) {
  ASSERT_EQ(rmdir((Rootfs() + "/proc").c_str()), 0);
  ASSERT_EQ(symlink("decoy", (Rootfs() + "/proc").c_str()), 0);
  WriteProbeConfig(kProbe);
  ExpectError({"run", "c1"},
              "jail: mounts[0] (/proc): proc mount point is or crosses a "
              "symlink");
  ExpectDecoyUntouched();
}

TEST_F(ProcSymlinkTest, ProcBelowASymlinkIsRefused) {
  ASSERT_EQ(mkdir((Rootfs() + "/real").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((Rootfs() + "/real/proc").c_str(), 0755), 0);
  ASSERT_EQ(symlink("real", (Rootfs() + "/via").c_str()), 0);
  WriteProbeConfig("true");
  // The same config with the proc mount at /via/proc.
  std::string json = ocitest::ReadFile(bundle_ + "/config.json").value_or("");
  json = absl::StrReplaceAll(
      json, {{R"("destination":"/proc")", R"("destination":"/via/proc")"}});
  ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  ExpectError({"run", "c1"},
              "jail: mounts[0] (/via/proc): proc mount point is or crosses a "
              "symlink");
}

// The sharp form: another writer renames the mounted /proc away and puts a
// symlink to the decoy in its place after the mount and before the
// protections (here a prestart hook, which runs on the host in exactly that
// window). The protections must still reach the real procfs, now at
// /procreal.
TEST_F(ProcSymlinkTest, ProcFlippedAfterTheMountIsStillProtected) {
  const std::string flip =
      absl::StrCat("cd ", Rootfs(), " && mv proc procreal && ln -s decoy proc");
  WriteProbeConfig(
      kProbe,
      absl::StrCat(R"({"prestart":[{"path":"/bin/sh","args":["sh","-c",)",
                   JsonString(flip), "]}]}"));
  ocitest::CommandResult r = RunOci({"run", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            absl::StrCat("procfs at /procreal\n", kProtected, "found=1\n"));
  ExpectDecoyUntouched();
}

// Many starts while a host thread keeps exchanging /proc with a symlink to
// the decoy. In every round the start is refused, or the one real procfs
// the container can reach is protected.
TEST_F(ProcSymlinkTest, RacingFlipsNeverLeaveAnUnprotectedProcfs) {
  ASSERT_EQ(symlink("decoy", (Rootfs() + "/proclink").c_str()), 0);
  WriteProbeConfig(absl::StrCat("exec >/result 2>&1\n", kProbe));
  const int root = open(Rootfs().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(root, 0);
  constexpr int kRounds = 100;
  int refused = 0;
  int moved = 0;  // the mounted directory ended up at the other name
  for (int round = 0; round < kRounds; ++round) {
    ocitest::CommandResult created =
        RunOciWhileExchanging({"create", "c1"}, root, "proc", "proclink");
    if (created.exit_code != 0) {
      ASSERT_EQ(created.err,
                "run_oci: jail: mounts[0] (/proc): proc mount point is or "
                "crosses a symlink\n")
          << "round " << round;
      ASSERT_TRUE(StateRootEntries().empty());
      ++refused;
      continue;
    }
    ASSERT_EQ(RunOci({"start", "c1"}).exit_code, 0);
    ASSERT_TRUE(WaitForStatus("c1", "stopped"));
    ASSERT_EQ(RunOci({"destroy", "c1"}).exit_code, 0);
    const std::string out =
        ocitest::ReadFile(Rootfs() + "/result").value_or("");
    const bool at_proc =
        out == absl::StrCat("procfs at /proc\n", kProtected, "found=1\n");
    const bool at_link =
        out == absl::StrCat("procfs at /proclink\n", kProtected, "found=1\n");
    ASSERT_TRUE(at_proc || at_link) << "round " << round << ":\n" << out;
    if (at_link) ++moved;
  }
  close(root);
  ExpectDecoyUntouched();
  printf("%d rounds: %d refused, %d protected after a flip, %d plain\n",
         kRounds, refused, moved, kRounds - refused - moved);
}

}  // namespace
}  // namespace run_oci_test
