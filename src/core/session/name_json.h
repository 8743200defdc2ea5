#pragma once
// POSIX names in JSON, losslessly. A name is bytes; JSON strings are UTF-8. So a name goes out as
// "name" (text, with U+FFFD for bytes that are not valid UTF-8) and, only when it held such bytes,
// "name_hex" with every byte in hex, which the step language's shm_open name_hex= takes back.
// Every writer of a POSIX name (the step replies here, the snapshot writer in src/app/json) uses these.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace shmviz::core {

// `name` with each byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string posixNameText(std::string_view name);

// The name's bytes in lowercase hex when it is not valid UTF-8, else "".
std::string posixNameHex(std::string_view name);

// Sets j["name"] and, when needed, j["name_hex"].
void putPosixName(nlohmann::json& j, std::string_view name);

} // namespace shmviz::core
