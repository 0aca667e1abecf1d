#include "run_oci/parser/json_reader.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "rapidjson/error/en.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace run_oci {
namespace {

constexpr size_t kSnippetChars = 40;

// Follows the SAX events with the JSON path of each value and records where
// the value starts. RapidJSON calls the handler once a scalar or key is
// read, so the start is found from the end of the previous token: only
// white space, ':' and ',' lie between two tokens.
class PositionRecorder {
 public:
  PositionRecorder(absl::string_view text, const rapidjson::MemoryStream& in,
                   JsonPositions* positions)
      : text_(text), in_(in), positions_(positions) {}

  void Scalar() {
    positions_->Add(NextPath(), TokenStart());
    last_end_ = in_.Tell();
  }
  // The iterative parser calls StartObject/StartArray and EndObject/EndArray
  // before it takes the bracket, so the bracket itself is skipped here.
  void StartContainer(bool array) {
    std::string path = NextPath();
    const size_t start = TokenStart();
    positions_->Add(path, start);
    frames_.push_back({std::move(path), array, 0, ""});
    last_end_ = start + 1;
  }
  void Key(absl::string_view key) {
    frames_.back().key.assign(key.data(), key.size());
    last_end_ = in_.Tell();
  }
  void EndContainer() {
    frames_.pop_back();
    size_t at = std::max(last_end_, in_.Tell());
    while (at < text_.size() && text_[at] != '}' && text_[at] != ']') ++at;
    last_end_ = at + 1;
  }

 private:
  struct Frame {
    std::string path;
    bool array;
    size_t next_index;
    std::string key;
  };

  std::string NextPath() {
    if (frames_.empty()) return "";
    Frame& frame = frames_.back();
    if (frame.array) return JsonIndexPath(frame.path, frame.next_index++);
    return JsonKeyPath(frame.path, frame.key);
  }
  size_t TokenStart() const {
    size_t at = last_end_;
    while (at < text_.size() &&
           absl::string_view(" \t\r\n:,").find(text_[at]) !=
               absl::string_view::npos) {
      ++at;
    }
    return at;
  }

  absl::string_view text_;
  const rapidjson::MemoryStream& in_;
  JsonPositions* positions_;
  std::vector<Frame> frames_;
  size_t last_end_ = 0;
};

// Forwards SAX events to the document while enforcing the nesting limit and
// rejecting duplicate object keys (RapidJSON would keep both, and a reader
// that looks up the first one would silently disagree with runc, which keeps
// the last one). Returning false makes RapidJSON stop with
// kParseErrorTermination at the current offset.
class LimitingHandler {
 public:
  LimitingHandler(rapidjson::Document& doc, PositionRecorder* positions)
      : doc_(doc), positions_(positions) {}

  bool Null() { return Value() && doc_.Null(); }
  bool Bool(bool b) { return Value() && doc_.Bool(b); }
  bool Int(int i) { return Value() && doc_.Int(i); }
  bool Uint(unsigned u) { return Value() && doc_.Uint(u); }
  bool Int64(int64_t i) { return Value() && doc_.Int64(i); }
  bool Uint64(uint64_t u) { return Value() && doc_.Uint64(u); }
  bool Double(double d) { return Value() && doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return Value() && doc_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    if (!NoNul(s, n)) return false;
    return Value() && doc_.String(s, n, copy);
  }
  bool StartObject() {
    if (!Enter()) return false;
    keys_.emplace_back();
    if (positions_ != nullptr) positions_->StartContainer(/*array=*/false);
    return doc_.StartObject();
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    if (!NoNul(s, n)) return false;
    if (!keys_.back().emplace(s, n).second) {
      rapidjson::Value key(s, n);
      error_ = absl::StrCat("Duplicate object key ", JsonSnippet(key), ".");
      return false;
    }
    if (positions_ != nullptr) positions_->Key(absl::string_view(s, n));
    return doc_.Key(s, n, copy);
  }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    keys_.pop_back();
    if (positions_ != nullptr) positions_->EndContainer();
    return doc_.EndObject(n);
  }
  bool StartArray() {
    if (!Enter()) return false;
    if (positions_ != nullptr) positions_->StartContainer(/*array=*/true);
    return doc_.StartArray();
  }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    if (positions_ != nullptr) positions_->EndContainer();
    return doc_.EndArray(n);
  }

  const std::string& error() const { return error_; }

 private:
  bool Enter() {
    if (++depth_ > kMaxJsonNestingDepth) {
      error_ = absl::StrCat("Nesting deeper than ", kMaxJsonNestingDepth,
                            " levels.");
      return false;
    }
    return true;
  }

  // An escaped "\u0000" decodes to a NUL that the kernel, taking C strings,
  // would read as the end: "/a\u0000/../etc" would be checked as one path
  // and used as "/a". No config value has a reason to contain one.
  bool NoNul(const char* s, rapidjson::SizeType n) {
    if (std::memchr(s, '\0', n) == nullptr) return true;
    error_ = "String with an escaped NUL (\\u0000).";
    return false;
  }

  bool Value() {
    if (positions_ != nullptr) positions_->Scalar();
    return true;
  }

  rapidjson::Document& doc_;
  PositionRecorder* positions_;
  int depth_ = 0;
  std::vector<absl::flat_hash_set<std::string>> keys_;
  std::string error_;
};

// Iterative parsing: no recursion, so no stack overflow on deep input even
// before the nesting limit applies. Encoding validation: every string the
// parser hands on is valid UTF-8.
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

struct SaxParse {
  absl::string_view text;
  JsonPositions* positions;
  rapidjson::ParseResult result;
  std::string handler_error;

  bool operator()(rapidjson::Document& doc) {
    rapidjson::MemoryStream stream(text.data(), text.size());
    std::optional<PositionRecorder> recorder;
    if (positions != nullptr) recorder.emplace(text, stream, positions);
    LimitingHandler handler(doc, recorder.has_value() ? &*recorder : nullptr);
    rapidjson::Reader reader;
    result = reader.Parse<kParseFlags>(stream, handler);
    handler_error = handler.error();
    return !result.IsError();
  }
};

std::string LineColumn(absl::string_view text, size_t offset) {
  auto [line, column] = JsonLineColumn(text, offset);
  return absl::StrCat(line, ":", column);
}

}  // namespace

std::pair<size_t, size_t> JsonLineColumn(absl::string_view text,
                                         size_t offset) {
  if (offset > text.size()) offset = text.size();
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, offset - line_start + 1};
}

size_t JsonPositions::Find(absl::string_view path) const {
  while (true) {
    auto it = offsets_.find(path);
    if (it != offsets_.end()) return it->second;
    if (path.empty()) return 0;
    // Up one level: drop "[i]" or ".key". A key holding '.' or '[' may be
    // cut in its middle; that only means a shorter, still enclosing path.
    size_t cut = path.find_last_of(".[");
    path = path.substr(0, cut == absl::string_view::npos ? 0 : cut);
  }
}

absl::Status ParseJsonDocument(absl::string_view text,
                               absl::string_view file_name,
                               rapidjson::Document* doc,
                               JsonPositions* positions, JsonProblem* problem) {
  JsonProblem unused;
  if (problem == nullptr) problem = &unused;
  if (text.size() > kMaxJsonDocumentBytes) {
    problem->message = absl::StrCat("larger than ", kMaxJsonDocumentBytes,
                                    " bytes (", text.size(), ")");
    problem->offset = 0;
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ": ", problem->message));
  }
  // MemoryStream reports '\0' at the end of input, so an embedded NUL would
  // end the document early and hide whatever follows it.
  if (size_t nul = text.find('\0'); nul != absl::string_view::npos) {
    problem->message = "NUL byte in document.";
    problem->offset = nul;
    return absl::InvalidArgumentError(absl::StrCat(
        file_name, ":", LineColumn(text, nul), ": ", problem->message));
  }
  SaxParse parse{text, positions, {}, {}};
  doc->Populate(parse);
  if (!parse.result.IsError()) return absl::OkStatus();
  problem->message = parse.result.Code() == rapidjson::kParseErrorTermination &&
                             !parse.handler_error.empty()
                         ? parse.handler_error
                         : GetParseError_En(parse.result.Code());
  problem->offset = parse.result.Offset();
  return absl::InvalidArgumentError(
      absl::StrCat(file_name, ":", LineColumn(text, parse.result.Offset()),
                   ": ", problem->message));
}

std::string JsonMemberPath(absl::string_view parent, absl::string_view key) {
  if (parent.empty()) return std::string(key);
  return absl::StrCat(parent, ".", key);
}

std::string JsonKeyPath(absl::string_view parent, absl::string_view key) {
  for (char c : key) {
    if (static_cast<unsigned char>(c) < 0x20) {
      rapidjson::Value value(rapidjson::StringRef(
          key.data(), static_cast<rapidjson::SizeType>(key.size())));
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
      value.Accept(writer);
      return JsonMemberPath(parent, buffer.GetString());
    }
  }
  return JsonMemberPath(parent, key);
}

std::string JsonIndexPath(absl::string_view parent, size_t index) {
  return absl::StrCat(parent, "[", index, "]");
}

std::string JsonSnippet(const JsonValue& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  std::string text(buffer.GetString(), buffer.GetSize());
  if (text.size() > kSnippetChars) {
    // Cut at a UTF-8 character boundary so the message stays valid UTF-8.
    size_t cut = kSnippetChars;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    text.resize(cut);
    text += "...";
  }
  return text;
}

std::string JsonQuote(absl::string_view text) {
  rapidjson::Value value(rapidjson::StringRef(
      text.data(), static_cast<rapidjson::SizeType>(text.size())));
  return JsonSnippet(value);
}

absl::Status JsonReader::Error(absl::string_view path,
                               absl::string_view message) const {
  absl::Status status =
      path.empty()
          ? absl::InvalidArgumentError(absl::StrCat(file_name_, ": ", message))
          : absl::InvalidArgumentError(
                absl::StrCat(file_name_, ": ", path, ": ", message));
  if (problems_ != nullptr) {
    problems_->push_back(
        {false, std::string(path), std::string(message), std::nullopt});
    ++error_count_;
    last_error_ = std::string(status.message());
  }
  return status;
}

absl::Status JsonReader::Collect(absl::Status status) const {
  if (status.ok() || problems_ == nullptr) return status;
  if (status.message() != last_error_) {
    // Not one of the reader's own errors: keep its line, less the file.
    absl::string_view message = status.message();
    if (absl::StartsWith(message, file_name_) &&
        absl::StartsWith(message.substr(file_name_.size()), ": ")) {
      message.remove_prefix(file_name_.size() + 2);
    }
    problems_->push_back({false, "", std::string(message), std::nullopt});
    ++error_count_;
    last_error_ = std::string(status.message());
  }
  return absl::OkStatus();
}

absl::Status JsonReader::TypeError(absl::string_view path,
                                   absl::string_view expected,
                                   const JsonValue& got) const {
  return Error(path,
               absl::StrCat("expected ", expected, ", got ", JsonSnippet(got)));
}

absl::Status JsonReader::ExpectObject(const JsonValue& value,
                                      absl::string_view path) const {
  if (value.IsObject()) return absl::OkStatus();
  return TypeError(path, "an object", value);
}

absl::Status JsonReader::ExpectArray(const JsonValue& value,
                                     absl::string_view path) const {
  if (value.IsArray()) return absl::OkStatus();
  return TypeError(path, "an array", value);
}

absl::Status JsonReader::Read(const JsonValue& value, absl::string_view path,
                              std::string* out) const {
  if (!value.IsString()) return TypeError(path, "a string", value);
  out->assign(value.GetString(), value.GetStringLength());
  return absl::OkStatus();
}

absl::Status JsonReader::Read(const JsonValue& value, absl::string_view path,
                              bool* out) const {
  if (!value.IsBool()) return TypeError(path, "a boolean", value);
  *out = value.GetBool();
  return absl::OkStatus();
}

absl::Status JsonReader::ReadSigned(const JsonValue& value,
                                    absl::string_view path, int bits,
                                    int64_t min, int64_t max,
                                    int64_t* out) const {
  // IsInt64 is false for doubles (1.0, 1e3) and for values above INT64_MAX.
  if (value.IsInt64()) {
    int64_t v = value.GetInt64();
    if (v >= min && v <= max) {
      *out = v;
      return absl::OkStatus();
    }
  }
  return TypeError(path, absl::StrCat("a ", bits, "-bit signed integer"),
                   value);
}

absl::Status JsonReader::ReadUnsigned(const JsonValue& value,
                                      absl::string_view path, int bits,
                                      uint64_t max, uint64_t* out) const {
  // IsUint64 is false for negative numbers and doubles.
  if (value.IsUint64()) {
    uint64_t v = value.GetUint64();
    if (v <= max) {
      *out = v;
      return absl::OkStatus();
    }
  }
  return TypeError(path, absl::StrCat("a ", bits, "-bit unsigned integer"),
                   value);
}

template <typename T>
absl::Status JsonReader::ReadArray(const JsonValue& value,
                                   absl::string_view path,
                                   absl::string_view expected,
                                   std::vector<T>* out) const {
  if (!value.IsArray()) return TypeError(path, expected, value);
  std::vector<T> result;
  result.reserve(value.Size());
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    absl::Status status =
        Read(value[i], JsonIndexPath(path, i), &result.emplace_back());
    if (!status.ok()) return status;
  }
  *out = std::move(result);
  return absl::OkStatus();
}

absl::Status JsonReader::Read(const JsonValue& value, absl::string_view path,
                              std::vector<std::string>* out) const {
  return ReadArray(value, path, "an array of strings", out);
}

absl::Status JsonReader::Read(const JsonValue& value, absl::string_view path,
                              std::vector<uint32_t>* out) const {
  return ReadArray(value, path, "an array of integers", out);
}

absl::Status JsonReader::Read(const JsonValue& value, absl::string_view path,
                              std::map<std::string, std::string>* out) const {
  if (!value.IsObject()) return TypeError(path, "an object", value);
  std::map<std::string, std::string> result;
  for (const auto& entry : value.GetObject()) {
    std::string key(entry.name.GetString(), entry.name.GetStringLength());
    std::string element_path = JsonKeyPath(path, key);
    absl::Status status = Read(entry.value, element_path, &result[key]);
    if (!status.ok()) return status;
  }
  *out = std::move(result);
  return absl::OkStatus();
}

absl::Status JsonReader::OptionalIntOrDecimalString(
    const JsonValue& object, absl::string_view path, absl::string_view key,
    std::optional<int64_t>* out) const {
  const JsonValue* member = Find(object, key);
  if (member == nullptr || member->IsNull()) return absl::OkStatus();
  const std::string member_path = JsonMemberPath(path, key);
  if (!member->IsString()) {
    int64_t value = 0;
    absl::Status status = Read(*member, member_path, &value);
    if (status.ok()) *out = value;
    return status;
  }
  absl::string_view text(member->GetString(), member->GetStringLength());
  // Only [-]digits: SimpleAtoi alone would also take "+13" and " 13".
  absl::string_view digits = text;
  if (!digits.empty() && digits[0] == '-') digits.remove_prefix(1);
  bool decimal = !digits.empty();
  for (char c : digits) decimal = decimal && c >= '0' && c <= '9';
  int64_t value = 0;
  if (!decimal || !absl::SimpleAtoi(text, &value)) {
    return TypeError(member_path, "a 64-bit signed integer", *member);
  }
  Warn(member_path, absl::StrCat("a string, read as ", value));
  *out = value;
  return absl::OkStatus();
}

void JsonReader::Warn(absl::string_view path, absl::string_view message) const {
  if (problems_ != nullptr) {
    problems_->push_back(
        {true, std::string(path), std::string(message), std::nullopt});
    return;
  }
  warnings_.push_back(absl::StrCat(file_name_, ": ", path, ": ", message));
}

const JsonValue* JsonReader::Find(const JsonValue& object,
                                  absl::string_view key) {
  auto it = object.FindMember(rapidjson::StringRef(
      key.data(), static_cast<rapidjson::SizeType>(key.size())));
  if (it == object.MemberEnd()) return nullptr;
  return &it->value;
}

absl::StatusOr<const JsonValue*> JsonReader::OptionalObject(
    const JsonValue& object, absl::string_view path,
    absl::string_view key) const {
  const JsonValue* member = Find(object, key);
  if (member == nullptr || member->IsNull()) return nullptr;
  absl::Status status = ExpectObject(*member, JsonMemberPath(path, key));
  if (!status.ok()) return status;
  return member;
}

}  // namespace run_oci
