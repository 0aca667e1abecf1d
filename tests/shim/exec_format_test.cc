// ClassifyExecutable: what execve would load by path besides the file.
#include "minijail-shim/exec_format.h"

#include <elf.h>
#include <fcntl.h>

#include <cstring>
#include <string>

#include "gtest/gtest.h"
#include "minijail-shim/base/scoped_fd.h"

namespace shimtest {
namespace {

using shim::ExecFormat;
using shim::ExecInfo;

absl::StatusOr<ExecInfo> Classify(const std::string& bytes) {
  return shim::ClassifyExecutableBytes(
      [&bytes](uint64_t offset, size_t size) -> absl::StatusOr<std::string> {
        if (offset >= bytes.size()) return std::string();
        return bytes.substr(offset, size);
      });
}

// A minimal ELF64 file: the header, `phnum` program headers, and an
// interpreter path when `interp` is not empty.
std::string Elf64(const std::string& interp, int phnum = 2) {
  Elf64_Ehdr ehdr;
  memset(&ehdr, 0, sizeof(ehdr));
  memcpy(ehdr.e_ident, ELFMAG, SELFMAG);
  ehdr.e_ident[EI_CLASS] = ELFCLASS64;
  ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
  ehdr.e_phoff = sizeof(ehdr);
  ehdr.e_phentsize = sizeof(Elf64_Phdr);
  ehdr.e_phnum = static_cast<uint16_t>(phnum);
  std::string out(reinterpret_cast<const char*>(&ehdr), sizeof(ehdr));
  const size_t data = sizeof(ehdr) + phnum * sizeof(Elf64_Phdr);
  for (int i = 0; i < phnum; ++i) {
    Elf64_Phdr phdr;
    memset(&phdr, 0, sizeof(phdr));
    phdr.p_type = PT_LOAD;
    if (i == 1 && !interp.empty()) {
      phdr.p_type = PT_INTERP;
      phdr.p_offset = data;
      phdr.p_filesz = interp.size() + 1;
    }
    out.append(reinterpret_cast<const char*>(&phdr), sizeof(phdr));
  }
  out.append(interp);
  out.push_back('\0');
  return out;
}

TEST(ExecFormatTest, ElfWithAndWithoutInterpreter) {
  absl::StatusOr<ExecInfo> info = Classify(Elf64("/lib64/ld-linux.so.2"));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->format, ExecFormat::kDynamicElf);
  EXPECT_EQ(info->interpreter, "/lib64/ld-linux.so.2");
  info = Classify(Elf64(""));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->format, ExecFormat::kStaticElf);
  EXPECT_EQ(info->interpreter, "");
}

TEST(ExecFormatTest, Scripts) {
  for (const auto& [text, interp] :
       std::vector<std::pair<std::string, std::string>>{
           {"#!/bin/sh\necho\n", "/bin/sh"},
           {"#! /usr/bin/env python3 -u\n", "/usr/bin/env"},
           {"#!\t/bin/busybox sh", "/bin/busybox"},
           {"#!\n", ""}}) {
    absl::StatusOr<ExecInfo> info = Classify(text);
    ASSERT_TRUE(info.ok()) << text;
    EXPECT_EQ(info->format, ExecFormat::kScript) << text;
    EXPECT_EQ(info->interpreter, interp) << text;
  }
}

// Anything the classifier cannot vouch for is kOther, which the caller
// treats as "may load something": never kStaticElf.
TEST(ExecFormatTest, TruncatedOrForeignIsOther) {
  std::string elf = Elf64("/lib/ld.so");
  for (const std::string& bytes :
       {std::string(),
        std::string("\x7f"
                    "EL"),
        elf.substr(0, 40), elf.substr(0, sizeof(Elf64_Ehdr) + 10),
        std::string("MZ\x90\x00", 4)}) {
    absl::StatusOr<ExecInfo> info = Classify(bytes);
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->format, ExecFormat::kOther) << bytes.size();
  }
  std::string big_endian = elf;
  big_endian[EI_DATA] = ELFDATA2MSB;
  EXPECT_EQ(Classify(big_endian)->format, ExecFormat::kOther);
  std::string bad_entry_size = elf;
  bad_entry_size[offsetof(Elf64_Ehdr, e_phentsize)] = 12;
  EXPECT_EQ(Classify(bad_entry_size)->format, ExecFormat::kOther);
}

// The host's own binaries, read through an fd.
TEST(ExecFormatTest, HostFiles) {
  base::ScopedFd busybox(open("/bin/busybox", O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(busybox);
  absl::StatusOr<ExecInfo> info = shim::ClassifyExecutable(busybox.get());
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->format, ExecFormat::kStaticElf);  // busybox-static
  base::ScopedFd dash(open("/bin/dash", O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(dash);
  info = shim::ClassifyExecutable(dash.get());
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->format, ExecFormat::kDynamicElf);
  EXPECT_EQ(info->interpreter.rfind("/lib", 0), 0u) << info->interpreter;
}

}  // namespace
}  // namespace shimtest
