#include "libcontainer/cgroup_stat_parse.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace libcontainer {
namespace {

bool ParseMajorMinor(absl::string_view text, uint64_t* major, uint64_t* minor) {
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(text, absl::MaxSplits(':', 1));
  return absl::SimpleAtoi(parts.first, major) &&
         absl::SimpleAtoi(parts.second, minor);
}

std::vector<absl::string_view> Words(absl::string_view line) {
  return absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
}

}  // namespace

std::map<std::string, uint64_t> ParseFlatKeyed(absl::string_view text) {
  std::map<std::string, uint64_t> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> words = Words(line);
    uint64_t value = 0;
    if (words.size() == 2 && absl::SimpleAtoi(words[1], &value)) {
      out[std::string(words[0])] = value;
    }
  }
  return out;
}

std::vector<uint64_t> ParseUintList(absl::string_view text) {
  std::vector<uint64_t> out;
  for (absl::string_view word : Words(absl::StripAsciiWhitespace(text))) {
    uint64_t value = 0;
    if (absl::SimpleAtoi(word, &value)) out.push_back(value);
  }
  return out;
}

uint64_t ParseLimit(absl::string_view text, uint64_t max_value) {
  absl::string_view word = absl::StripAsciiWhitespace(text);
  if (word == "max") return max_value;
  uint64_t value = 0;
  return absl::SimpleAtoi(word, &value) ? value : 0;
}

void ParseCpuacctUsageAll(absl::string_view text, std::vector<uint64_t>* user,
                          std::vector<uint64_t>* system) {
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> words = Words(line);
    uint64_t cpu = 0;
    uint64_t u = 0;
    uint64_t s = 0;
    if (words.size() != 3 || !absl::SimpleAtoi(words[0], &cpu) ||
        !absl::SimpleAtoi(words[1], &u) || !absl::SimpleAtoi(words[2], &s)) {
      continue;  // the header
    }
    user->push_back(u);
    system->push_back(s);
  }
}

std::vector<uint16_t> ParseCpuList(absl::string_view text) {
  std::vector<uint16_t> out;
  for (absl::string_view part : absl::StrSplit(absl::StripAsciiWhitespace(text),
                                               ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> range =
        absl::StrSplit(part, absl::MaxSplits('-', 1));
    uint32_t first = 0;
    uint32_t last = 0;
    if (!absl::SimpleAtoi(range.first, &first)) continue;
    if (range.second.empty()) {
      last = first;
    } else if (!absl::SimpleAtoi(range.second, &last)) {
      continue;
    }
    // A cpuset has at most a few thousand CPUs; the bound keeps a garbled
    // file from making a huge list.
    if (last < first || last > 65535 || last - first > 8192) continue;
    for (uint32_t cpu = first; cpu <= last; ++cpu) {
      out.push_back(static_cast<uint16_t>(cpu));
    }
  }
  return out;
}

std::vector<BlkioEntry> ParseBlkioRecursive(absl::string_view text) {
  std::vector<BlkioEntry> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> words = Words(line);
    BlkioEntry entry;
    if (words.size() == 3 &&
        ParseMajorMinor(words[0], &entry.major, &entry.minor) &&
        absl::SimpleAtoi(words[2], &entry.value)) {
      entry.op = std::string(words[1]);
      out.push_back(std::move(entry));
    } else if (words.size() == 2 &&
               ParseMajorMinor(words[0], &entry.major, &entry.minor) &&
               absl::SimpleAtoi(words[1], &entry.value)) {
      // Files without an operation column (blkio.sectors, blkio.time).
      out.push_back(std::move(entry));
    }
  }
  return out;
}

void ParseIoStat(absl::string_view text, BlkioStats* out) {
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> words = Words(line);
    uint64_t major = 0;
    uint64_t minor = 0;
    if (words.empty() || !ParseMajorMinor(words[0], &major, &minor)) continue;
    for (size_t i = 1; i < words.size(); ++i) {
      std::pair<absl::string_view, absl::string_view> kv =
          absl::StrSplit(words[i], absl::MaxSplits('=', 1));
      uint64_t value = 0;
      if (!absl::SimpleAtoi(kv.second, &value)) continue;
      std::vector<BlkioEntry>* list = nullptr;
      const char* op = nullptr;
      if (kv.first == "rbytes") {
        list = &out->service_bytes, op = "Read";
      } else if (kv.first == "wbytes") {
        list = &out->service_bytes, op = "Write";
      } else if (kv.first == "rios") {
        list = &out->serviced, op = "Read";
      } else if (kv.first == "wios") {
        list = &out->serviced, op = "Write";
      } else {
        continue;
      }
      list->push_back(BlkioEntry{major, minor, op, value});
    }
  }
}

std::string HugepageSizeName(absl::string_view dir_name) {
  absl::string_view size = dir_name;
  uint64_t kb = 0;
  if (!absl::ConsumePrefix(&size, "hugepages-") ||
      !absl::ConsumeSuffix(&size, "kB") || !absl::SimpleAtoi(size, &kb) ||
      kb == 0) {
    return "";
  }
  if (kb % (1024 * 1024) == 0) return absl::StrCat(kb / (1024 * 1024), "GB");
  if (kb % 1024 == 0) return absl::StrCat(kb / 1024, "MB");
  return absl::StrCat(kb, "KB");
}

}  // namespace libcontainer
