// A typed reader over a RapidJSON DOM that names every value by its JSON
// path ("linux.uidMappings[1].size"), so that each error the parser reports
// is one line that points at the offending value:
//   config.json: process.user.uid: expected a 32-bit unsigned integer, got
//   "abc"
// Integers are range-checked against the C type they land in; doubles and
// negative values for unsigned fields are errors, never silent casts.
#ifndef RUN_OCI_PARSER_JSON_READER_H_
#define RUN_OCI_PARSER_JSON_READER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"

namespace run_oci {

using JsonValue = rapidjson::Value;

// One problem met while collecting (`run_oci check`): an error the parser
// would stop at, or a warning.
struct JsonProblem {
  bool warning = false;
  std::string path;     // JSON path; "" for the document
  std::string message;  // without the file and path prefix
  // Where in the text, when the problem is not a value's (a syntax error).
  std::optional<size_t> offset;
};

// Where each value of a document starts: byte offsets by JSON path (the
// paths the reader's errors name). Filled by ParseJsonDocument on request.
class JsonPositions {
 public:
  void Add(std::string path, size_t offset) {
    offsets_.emplace(std::move(path), offset);
  }
  // The value at `path`, else its nearest enclosing value that exists (a
  // missing member is reported where its object starts), else 0.
  size_t Find(absl::string_view path) const;
  // Whether the document has a value at `path`.
  bool Has(absl::string_view path) const {
    return offsets_.find(path) != offsets_.end();
  }

 private:
  std::map<std::string, size_t, std::less<>> offsets_;
};

// 1-based line and column (in bytes) of `offset` in `text`.
std::pair<size_t, size_t> JsonLineColumn(absl::string_view text, size_t offset);

// Limits that keep a hostile config.json from exhausting the runtime.
inline constexpr size_t kMaxJsonDocumentBytes = 16 * 1024 * 1024;
inline constexpr int kMaxJsonNestingDepth = 64;

// Parses `text` into `doc`. Syntax errors read
// "<file_name>:LINE:COL: <RapidJSON's message>" (1-based, bytes). With
// `positions`, also records where each value starts; with `problem`, a
// syntax error is also described there (message and offset).
absl::Status ParseJsonDocument(absl::string_view text,
                               absl::string_view file_name,
                               rapidjson::Document* doc,
                               JsonPositions* positions = nullptr,
                               JsonProblem* problem = nullptr);

// "a" + "b" -> "a.b"; "" + "b" -> "b".
std::string JsonMemberPath(absl::string_view parent, absl::string_view key);
// A map key as a path component: as-is ("linux.sysctl.net.ipv4.ip_forward"),
// unless it holds control characters; then as a JSON string literal
// ("linux.sysctl.\"a\\nb\""), so that every error stays one line.
std::string JsonKeyPath(absl::string_view parent, absl::string_view key);
// "a" + 2 -> "a[2]".
std::string JsonIndexPath(absl::string_view parent, size_t index);
// The value as compact JSON, cut to about 40 characters for error messages.
std::string JsonSnippet(const JsonValue& value);
// `text` as a JSON string literal, cut like JsonSnippet: "\"x\"".
std::string JsonQuote(absl::string_view text);

class JsonReader {
 public:
  // With `problems`, the reader collects (`run_oci check`): every error and
  // warning is also recorded there, and RETURN_OR_COLLECT goes on past an
  // error instead of returning it. Without, the first error is the result.
  explicit JsonReader(absl::string_view file_name,
                      std::vector<JsonProblem>* problems = nullptr)
      : file_name_(file_name), problems_(problems) {}

  bool collecting() const { return problems_ != nullptr; }
  // Errors recorded so far (0 unless collecting): a check across members
  // runs only when the members it reads had none, so that one problem is
  // not reported again as another.
  size_t error_count() const { return error_count_; }
  // `status` unless collecting; then OK, with `status` recorded if no
  // Error() recorded it already.
  absl::Status Collect(absl::Status status) const;

  // "<file>: <path>: <message>", or "<file>: <message>" for the root.
  absl::Status Error(absl::string_view path, absl::string_view message) const;
  // "<file>: <path>: expected <expected>, got <snippet>".
  absl::Status TypeError(absl::string_view path, absl::string_view expected,
                         const JsonValue& got) const;

  absl::Status ExpectObject(const JsonValue& value,
                            absl::string_view path) const;
  absl::Status ExpectArray(const JsonValue& value,
                           absl::string_view path) const;

  // Converters from one JSON value to one C++ value.
  absl::Status Read(const JsonValue& value, absl::string_view path,
                    std::string* out) const;
  absl::Status Read(const JsonValue& value, absl::string_view path,
                    bool* out) const;
  template <typename Int,
            typename = std::enable_if_t<std::is_integral_v<Int> &&
                                        !std::is_same_v<Int, bool>>>
  absl::Status Read(const JsonValue& value, absl::string_view path,
                    Int* out) const;
  absl::Status Read(const JsonValue& value, absl::string_view path,
                    std::vector<std::string>* out) const;
  absl::Status Read(const JsonValue& value, absl::string_view path,
                    std::vector<uint32_t>* out) const;
  absl::Status Read(const JsonValue& value, absl::string_view path,
                    std::map<std::string, std::string>* out) const;

  // Member of `object` (already checked to be an object), or nullptr.
  static const JsonValue* Find(const JsonValue& object, absl::string_view key);

  // Reads member `key` into `out` if present; leaves `out` alone if absent.
  // A JSON null counts as absent, as Go's encoding/json (runc) treats it.
  template <typename T>
  absl::Status Optional(const JsonValue& object, absl::string_view path,
                        absl::string_view key, T* out) const {
    const JsonValue* member = Find(object, key);
    if (member == nullptr || member->IsNull()) return absl::OkStatus();
    return Read(*member, JsonMemberPath(path, key), out);
  }
  template <typename T>
  absl::Status Optional(const JsonValue& object, absl::string_view path,
                        absl::string_view key, std::optional<T>* out) const {
    const JsonValue* member = Find(object, key);
    if (member == nullptr || member->IsNull()) return absl::OkStatus();
    T value{};
    absl::Status status = Read(*member, JsonMemberPath(path, key), &value);
    if (!status.ok()) return status;
    *out = std::move(value);
    return absl::OkStatus();
  }
  // Like Optional, but "<path>.<key>: required" if absent or null.
  template <typename T>
  absl::Status Required(const JsonValue& object, absl::string_view path,
                        absl::string_view key, T* out) const {
    const JsonValue* member = Find(object, key);
    if (member == nullptr || member->IsNull()) {
      return Error(JsonMemberPath(path, key), "required");
    }
    return Read(*member, JsonMemberPath(path, key), out);
  }

  // Like Optional for an int64 member, but a decimal string ("13", "-1")
  // is read as its number too, with a warning naming the member. Shipping
  // Chromium ARC++ bundles write device numbers this way; any other string
  // is an error.
  absl::Status OptionalIntOrDecimalString(const JsonValue& object,
                                          absl::string_view path,
                                          absl::string_view key,
                                          std::optional<int64_t>* out) const;

  // "<file>: <path>: <message>" for the caller to print as a warning.
  void Warn(absl::string_view path, absl::string_view message) const;
  // What Warn collected, in order.
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Calls `fn(element, element_path)` for each element of the array member
  // `key`, if present; returns the first error (collecting: goes on).
  template <typename Fn>
  absl::Status ForEachElement(const JsonValue& object, absl::string_view path,
                              absl::string_view key, Fn fn) const {
    const JsonValue* member = Find(object, key);
    if (member == nullptr || member->IsNull()) return absl::OkStatus();
    std::string array_path = JsonMemberPath(path, key);
    absl::Status status = ExpectArray(*member, array_path);
    if (!status.ok()) return status;
    for (rapidjson::SizeType i = 0; i < member->Size(); ++i) {
      status = Collect(fn((*member)[i], JsonIndexPath(array_path, i)));
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  // Calls `fn(name, value, value_path)` for each member of the object member
  // `key`, if present. Map keys appear in paths as-is.
  template <typename Fn>
  absl::Status ForEachMember(const JsonValue& object, absl::string_view path,
                             absl::string_view key, Fn fn) const {
    const JsonValue* member = Find(object, key);
    if (member == nullptr || member->IsNull()) return absl::OkStatus();
    std::string object_path = JsonMemberPath(path, key);
    absl::Status status = ExpectObject(*member, object_path);
    if (!status.ok()) return status;
    for (const auto& entry : member->GetObject()) {
      absl::string_view name(entry.name.GetString(),
                             entry.name.GetStringLength());
      status = Collect(fn(name, entry.value, JsonKeyPath(object_path, name)));
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  // The object member `key`, type-checked, or nullptr if absent or null.
  absl::StatusOr<const JsonValue*> OptionalObject(const JsonValue& object,
                                                  absl::string_view path,
                                                  absl::string_view key) const;

 private:
  // An array whose every element Read() converts; `expected` names the
  // array in the type error.
  template <typename T>
  absl::Status ReadArray(const JsonValue& value, absl::string_view path,
                         absl::string_view expected, std::vector<T>* out) const;
  absl::Status ReadSigned(const JsonValue& value, absl::string_view path,
                          int bits, int64_t min, int64_t max,
                          int64_t* out) const;
  absl::Status ReadUnsigned(const JsonValue& value, absl::string_view path,
                            int bits, uint64_t max, uint64_t* out) const;

  std::string file_name_;
  // Sinks for diagnostics; reading stays logically const.
  mutable std::vector<std::string> warnings_;
  std::vector<JsonProblem>* problems_;
  mutable size_t error_count_ = 0;
  mutable std::string last_error_;
};

// Like RETURN_IF_ERROR for one of a section's checks that the ones after it
// do not depend on: a collecting reader records the problem and goes on.
#define RETURN_OR_COLLECT(reader, expr)                         \
  do {                                                          \
    absl::Status run_oci_collected_ = (reader).Collect((expr)); \
    if (!run_oci_collected_.ok()) return run_oci_collected_;    \
  } while (0)

// Parses `text` as one JSON object and reads it into a new T with
// `read(reader, object, &t)`: what the files run_oci writes for itself and
// the documents its commands take have this one frame.
template <typename T, typename ReadFn>
absl::StatusOr<T> ParseJsonObject(absl::string_view text,
                                  absl::string_view file_name, ReadFn read) {
  rapidjson::Document doc;
  absl::Status status = ParseJsonDocument(text, file_name, &doc);
  if (!status.ok()) return status;
  JsonReader reader(file_name);
  status = reader.ExpectObject(doc, "");
  if (!status.ok()) return status;
  T out;
  status = read(reader, doc, &out);
  if (!status.ok()) return status;
  return out;
}

template <typename Int, typename>
absl::Status JsonReader::Read(const JsonValue& value, absl::string_view path,
                              Int* out) const {
  constexpr int kBits = static_cast<int>(sizeof(Int) * 8);
  if constexpr (std::is_signed_v<Int>) {
    int64_t wide = 0;
    absl::Status status =
        ReadSigned(value, path, kBits, std::numeric_limits<Int>::min(),
                   std::numeric_limits<Int>::max(), &wide);
    if (status.ok()) *out = static_cast<Int>(wide);
    return status;
  } else {
    uint64_t wide = 0;
    absl::Status status = ReadUnsigned(value, path, kBits,
                                       std::numeric_limits<Int>::max(), &wide);
    if (status.ok()) *out = static_cast<Int>(wide);
    return status;
  }
}

}  // namespace run_oci

#endif  // RUN_OCI_PARSER_JSON_READER_H_
