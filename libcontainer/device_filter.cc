#include "libcontainer/device_filter.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <optional>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/errno_status.h"

namespace libcontainer {
namespace {

// Registers of the program. R1 is the context on entry.
constexpr uint8_t kR0 = 0, kR1 = 1, kType = 2, kAccess = 3, kMajor = 4,
                  kMinor = 5, kScratch = 6;

bpf_insn Insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off,
              int32_t imm) {
  bpf_insn insn;
  memset(&insn, 0, sizeof(insn));
  insn.code = code;
  insn.dst_reg = dst;
  insn.src_reg = src;
  insn.off = off;
  insn.imm = imm;
  return insn;
}

bpf_insn LoadCtxWord(uint8_t dst, int16_t offset) {
  return Insn(BPF_LDX | BPF_MEM | BPF_W, dst, kR1, offset, 0);
}
bpf_insn MovImm(uint8_t dst, int32_t imm) {
  return Insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}
bpf_insn MovReg(uint8_t dst, uint8_t src) {
  return Insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}
bpf_insn AndImm(uint8_t dst, int32_t imm) {
  return Insn(BPF_ALU64 | BPF_AND | BPF_K, dst, 0, 0, imm);
}
bpf_insn RshImm(uint8_t dst, int32_t imm) {
  return Insn(BPF_ALU64 | BPF_RSH | BPF_K, dst, 0, 0, imm);
}
bpf_insn Exit() { return Insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

// Jumps are emitted with a label and resolved once every label is placed.
class Emitter {
 public:
  void Emit(bpf_insn insn) { program_.push_back(insn); }
  int NewLabel() {
    labels_.push_back(-1);
    return static_cast<int>(labels_.size()) - 1;
  }
  void Place(int label) { labels_[label] = static_cast<int>(program_.size()); }
  // 32-bit compares: the context fields are u32 and a rule's major or
  // minor is compared as the kernel stores it.
  void JumpIfNotEqual(uint8_t reg, uint32_t value, int label) {
    fixups_.push_back({program_.size(), label});
    Emit(Insn(BPF_JMP32 | BPF_JNE | BPF_K, reg, 0, 0,
              static_cast<int32_t>(value)));
  }
  void JumpIfZero(uint8_t reg, int label) {
    fixups_.push_back({program_.size(), label});
    Emit(Insn(BPF_JMP | BPF_JEQ | BPF_K, reg, 0, 0, 0));
  }
  void Jump(int label) {
    fixups_.push_back({program_.size(), label});
    Emit(Insn(BPF_JMP | BPF_JA, 0, 0, 0, 0));
  }
  // Empty when a jump does not fit the 16-bit offset (tens of thousands
  // of rules).
  std::vector<bpf_insn> Finish() {
    for (const auto& [at, label] : fixups_) {
      const long offset =
          static_cast<long>(labels_[label]) - static_cast<long>(at) - 1;
      if (offset > INT16_MAX) return {};
      program_[at].off = static_cast<int16_t>(offset);
    }
    return std::move(program_);
  }

 private:
  std::vector<bpf_insn> program_;
  std::vector<int> labels_;
  std::vector<std::pair<size_t, int>> fixups_;
};

uint32_t AccessBits(const std::string& access) {
  if (access.empty()) {
    return BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
  }
  uint32_t bits = 0;
  for (char c : access) {
    if (c == 'm') bits |= BPF_DEVCG_ACC_MKNOD;
    if (c == 'r') bits |= BPF_DEVCG_ACC_READ;
    if (c == 'w') bits |= BPF_DEVCG_ACC_WRITE;
  }
  return bits;
}

std::optional<uint32_t> DeviceType(char type) {
  if (type == 'b') return BPF_DEVCG_DEV_BLOCK;
  if (type == 'c') return BPF_DEVCG_DEV_CHAR;
  return std::nullopt;  // 'a': any
}

long Bpf(int cmd, bpf_attr* attr) {
  return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

}  // namespace

std::vector<bpf_insn> CompileDeviceFilter(
    const std::vector<CgroupDeviceRule>& rules) {
  Emitter e;
  // access_type is (BPF_DEVCG_ACC_* << 16) | BPF_DEVCG_DEV_*.
  e.Emit(LoadCtxWord(kType, offsetof(bpf_cgroup_dev_ctx, access_type)));
  e.Emit(MovReg(kAccess, kType));
  e.Emit(AndImm(kType, 0xffff));
  e.Emit(RshImm(kAccess, 16));
  e.Emit(LoadCtxWord(kMajor, offsetof(bpf_cgroup_dev_ctx, major)));
  e.Emit(LoadCtxWord(kMinor, offsetof(bpf_cgroup_dev_ctx, minor)));
  const int deny = e.NewLabel();
  for (uint32_t bit :
       {BPF_DEVCG_ACC_MKNOD, BPF_DEVCG_ACC_READ, BPF_DEVCG_ACC_WRITE}) {
    const int next_bit = e.NewLabel();
    e.Emit(MovReg(kScratch, kAccess));
    e.Emit(AndImm(kScratch, static_cast<int32_t>(bit)));
    e.JumpIfZero(kScratch, next_bit);
    // The last rule naming this access decides it.
    for (auto rule = rules.rbegin(); rule != rules.rend(); ++rule) {
      // Type a is every device and every access, as v1 reads it.
      const std::optional<uint32_t> type = DeviceType(rule->type);
      if (type && (AccessBits(rule->access) & bit) == 0) continue;
      const int next_rule = e.NewLabel();
      if (type) e.JumpIfNotEqual(kType, *type, next_rule);
      if (type && rule->major) {
        e.JumpIfNotEqual(kMajor, static_cast<uint32_t>(*rule->major),
                         next_rule);
      }
      if (type && rule->minor) {
        e.JumpIfNotEqual(kMinor, static_cast<uint32_t>(*rule->minor),
                         next_rule);
      }
      e.Jump(rule->allow ? next_bit : deny);
      e.Place(next_rule);
    }
    e.Place(next_bit);
  }
  e.Emit(MovImm(kR0, 1));
  e.Emit(Exit());
  e.Place(deny);
  e.Emit(MovImm(kR0, 0));
  e.Emit(Exit());
  return e.Finish();
}

absl::StatusOr<base::ScopedFd> AttachDeviceFilter(
    const std::string& dir, const std::vector<bpf_insn>& program,
    const base::ScopedFd& replace) {
  if (program.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cgroup: device filter for ", dir, ": too many device rules"));
  }
  static const char kLicense[] = "Apache-2.0";
  bpf_attr load;
  memset(&load, 0, sizeof(load));
  load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  load.insns = reinterpret_cast<uint64_t>(program.data());
  load.insn_cnt = static_cast<uint32_t>(program.size());
  load.license = reinterpret_cast<uint64_t>(kLicense);
  base::ScopedFd prog(static_cast<int>(Bpf(BPF_PROG_LOAD, &load)));
  if (!prog) {
    return base::ErrnoStatus(errno, absl::StrCat("cgroup: device filter for ",
                                                 dir, ": bpf(BPF_PROG_LOAD)"));
  }
  base::ScopedFd cgroup(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!cgroup) {
    return base::ErrnoStatus(errno, absl::StrCat("cgroup: open ", dir));
  }
  bpf_attr attach;
  memset(&attach, 0, sizeof(attach));
  attach.target_fd = static_cast<uint32_t>(cgroup.get());
  attach.attach_bpf_fd = static_cast<uint32_t>(prog.get());
  attach.attach_type = BPF_CGROUP_DEVICE;
  attach.attach_flags = BPF_F_ALLOW_MULTI;
  if (replace) {
    attach.attach_flags |= BPF_F_REPLACE;
    attach.replace_bpf_fd = static_cast<uint32_t>(replace.get());
  }
  if (Bpf(BPF_PROG_ATTACH, &attach) != 0) {
    return base::ErrnoStatus(errno,
                             absl::StrCat("cgroup: device filter for ", dir,
                                          ": bpf(BPF_PROG_ATTACH)"));
  }
  return prog;
}

}  // namespace libcontainer
