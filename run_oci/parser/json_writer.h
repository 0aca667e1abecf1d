// Writing the JSON run_oci keeps for itself (state.json, the supervisor
// record, the init's process record) and prints (events, resources): one
// member is its key and its value, in JSON's type for the C++ type.
#ifndef RUN_OCI_PARSER_JSON_WRITER_H_
#define RUN_OCI_PARSER_JSON_WRITER_H_

#include <cstdint>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace run_oci {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// A key that is not a literal (map keys, hook stage names).
inline void WriteKey(JsonWriter& w, const std::string& key) {
  w.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
}

inline void WriteMember(JsonWriter& w, const char* key,
                        const std::string& value) {
  w.Key(key);
  w.String(value);
}
// A bool, or an integer with the writer call of its width and signedness.
template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
void WriteMember(JsonWriter& w, const char* key, T value) {
  static_assert(sizeof(T) >= sizeof(int) || std::is_same_v<T, bool>,
                "widen a narrow integer at the call");
  w.Key(key);
  if constexpr (std::is_same_v<T, bool>) {
    w.Bool(value);
  } else if constexpr (sizeof(T) <= sizeof(int) && std::is_signed_v<T>) {
    w.Int(value);
  } else if constexpr (sizeof(T) <= sizeof(int)) {
    w.Uint(value);
  } else if constexpr (std::is_signed_v<T>) {
    w.Int64(value);
  } else {
    w.Uint64(value);
  }
}
// An array of strings.
inline void WriteMember(JsonWriter& w, const char* key,
                        const std::vector<std::string>& values) {
  w.Key(key);
  w.StartArray();
  for (const std::string& s : values) w.String(s);
  w.EndArray();
}
// An object of string members.
inline void WriteMember(JsonWriter& w, const char* key,
                        const std::map<std::string, std::string>& map) {
  w.Key(key);
  w.StartObject();
  for (const auto& [k, v] : map) {
    WriteKey(w, k);
    w.String(v);
  }
  w.EndObject();
}
// The text of one JSON object whose members `write(w)` writes.
template <typename WriteFn>
std::string JsonObjectText(WriteFn write) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write(w);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace run_oci

#endif  // RUN_OCI_PARSER_JSON_WRITER_H_
