#include "cli/witness_folder.hpp"

#include <sys/stat.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/commands/verb.hpp"
#include "cli/private_file.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "crypto/signed_note.hpp"

namespace essc::cli {
namespace {

constexpr char kKeyFile[] = "witness.key";
constexpr char kConfigFile[] = "witness.toml";
constexpr std::size_t kSeedBytes = 32;

// A key name signed-note accepts: what survives a round trip through a vkey.
bool valid_key_name(const std::string& name) {
  return crypto::parse_vkey(
             crypto::note_vkey(name, std::string(kSeedBytes, '\0'), crypto::kNoteKeyCosignature))
      .has_value();
}

std::string config_text(const std::string& name) {
  const toml::table table{{"name", name}};
  std::ostringstream text;
  text << "# essc audit witness (c2sp.org/tlog-witness): the name its cosignatures carry.\n"
       << table << "\n";
  return text.str();
}

std::string read_text(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file))
    throw CommandError("no " + file.string() + "; run `essc audit witness init` first");
  require_private(file);
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw CommandError("cannot read " + file.string());
  return text.str();
}

std::string read_seed(const std::filesystem::path& file) {
  auto text = read_text(file);
  if (text.ends_with('\n')) text.pop_back();
  const auto seed = crypto::from_base64(text);
  if (!seed || seed->size() != kSeedBytes)
    throw CommandError(file.string() + " does not hold a base64 Ed25519 seed of 32 bytes");
  return *seed;
}

std::string string_key(const toml::table& table, const char* key, const std::string& where) {
  const auto value = table[key].value<std::string>();
  if (!value) throw CommandError(where + ": " + key + " must be a string");
  return *value;
}

void require_known_keys(const toml::table& table, const std::set<std::string>& known,
                        const std::string& where) {
  for (const auto& [key, value] : table) {
    if (!known.contains(std::string(key.str())))
      throw CommandError(where + ": unknown key '" + std::string(key.str()) + "'");
  }
}

// (origin, vkey) of one --log value.
std::pair<std::string, std::string> parse_witnessed_log(const std::string& text) {
  std::pair<std::string, std::string> log{{}, text};
  if (const auto whole = crypto::parse_vkey(text)) {
    log.first = whole->name;
  } else if (const auto equals = text.find('='); equals != std::string::npos && equals > 0) {
    log = {text.substr(0, equals), text.substr(equals + 1)};
  }
  const auto verifier = crypto::parse_vkey(log.second);
  if (log.first.empty() || log.first.find('\n') != std::string::npos || !verifier ||
      verifier->type != crypto::kNoteKeyEd25519)
    throw CommandError("--log " + text +
                       ": not a log's note verifier key (GET /v1/audit/key answers it)");
  return log;
}

}  // namespace

std::vector<services::WitnessedLog> parse_witnessed_logs(const std::vector<std::string>& values) {
  std::vector<services::WitnessedLog> logs;
  for (const auto& value : values) {
    auto parsed = parse_witnessed_log(value);
    auto& origin = parsed.first;
    auto& vkey = parsed.second;
    const auto same = std::find_if(logs.begin(), logs.end(),
                                   [&](const auto& log) { return log.origin == origin; });
    if (same == logs.end()) {
      logs.push_back({std::move(origin), {std::move(vkey)}});
    } else if (std::find(same->vkeys.begin(), same->vkeys.end(), vkey) != same->vkeys.end()) {
      throw CommandError("--log: the key " + vkey + " is given twice");
    } else {
      same->vkeys.push_back(std::move(vkey));  // a log that rotated its key (R-S9)
    }
  }
  return logs;
}

std::string init_witness_folder(const std::filesystem::path& dir, const std::string& name) {
  if (!valid_key_name(name))
    throw CommandError("--name " + name + ": a key name is not empty and holds no space or '+'");
  if (std::filesystem::exists(dir / kKeyFile) || std::filesystem::exists(dir / kConfigFile))
    throw CommandError(dir.string() + " already holds a witness; it is never replaced");
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw CommandError("cannot create " + dir.string() + ": " + std::strerror(errno));
  keep_private(dir);
  const auto seed = crypto::random_bytes(kSeedBytes);
  write_private_file(dir / kKeyFile, crypto::to_base64(seed) + "\n");
  write_private_file(dir / kConfigFile, config_text(name));
  return crypto::note_vkey(name, crypto::ed25519_public_key(seed), crypto::kNoteKeyCosignature);
}

services::WitnessIdentity read_witness_folder(const std::filesystem::path& dir) {
  const auto config_file = dir / kConfigFile;
  const auto text = read_text(config_file);
  toml::table table;
  try {
    table = toml::parse(text, config_file.string());
  } catch (const toml::parse_error& e) {
    throw CommandError("cannot read " + config_file.string() + ": " + std::string(e.description()));
  }
  const auto where = config_file.string();
  require_known_keys(table, {"name"}, where);
  services::WitnessIdentity identity;
  identity.name = string_key(table, "name", where);
  if (!valid_key_name(identity.name)) throw CommandError(where + ": name is not a key name");
  identity.seed = read_seed(dir / kKeyFile);
  return identity;
}

}  // namespace essc::cli
