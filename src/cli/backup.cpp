#include "cli/backup.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>

#include "cli/config.hpp"
#include "cli/key_file.hpp"
#include "cli/subprocess.hpp"
#include "common/clock.hpp"
#include "crypto/encoding.hpp"
#include "crypto/sodium.hpp"
#include "store/postgres.hpp"
#include "store/sqlite_backup.hpp"

namespace essc::cli {
namespace {

namespace fs = std::filesystem;

// Raised when the layout of an archive changes; restore refuses formats it does not know.
constexpr std::int64_t kArchiveFormat = 1;
constexpr std::string_view kManifest = "MANIFEST.sha256";
constexpr std::string_view kInfo = "backup-info.toml";
// How age's two encodings begin (age-encryption.org/v1).
constexpr std::string_view kAgeHeader = "age-encryption.org/v1";
constexpr std::string_view kAgeArmorHeader = "-----BEGIN AGE ENCRYPTED FILE-----";
constexpr std::size_t kHashBufferBytes = 1 << 16;
constexpr std::string_view kAgeHint = "the Debian package age";
constexpr std::string_view kTarHint = "the Debian package tar";

[[noreturn]] void fail_errno(const std::string& what, const fs::path& path) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

// A folder of the command's own beside the destination (so that the finished file is
// renamed into place, not copied), mode 0700, removed with everything in it at the end.
class StagingFolder {
 public:
  StagingFolder(const fs::path& parent, const std::string& prefix) {
    std::string pattern = (parent / (prefix + "XXXXXX")).string();
    if (!::mkdtemp(pattern.data())) fail_errno("cannot create a folder in", parent);
    path_ = pattern;
  }
  ~StagingFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  StagingFolder(const StagingFolder&) = delete;
  StagingFolder& operator=(const StagingFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const fs::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
}

void sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail_errno("cannot open", path);
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) fail_errno("cannot sync", path);
}

std::string sha256_of_file(const fs::path& file) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<char> buffer(kHashBufferBytes);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                              static_cast<unsigned long long>(in.gcount()));
  }
  if (in.bad()) throw std::runtime_error("cannot read " + file.string());
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256_final(&state, reinterpret_cast<unsigned char*>(digest.data()));
  return crypto::to_hex(digest);
}

// Every file under `root`, relative and sorted; anything but folders and regular files
// (a link that could point out of the folder, a device) is refused.
std::vector<std::string> regular_files(const fs::path& root) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_symlink() || (!entry.is_regular_file() && !entry.is_directory())) {
      throw std::runtime_error(fs::relative(entry.path(), root).string() +
                               " is neither a file nor a folder");
    }
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), root).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string manifest_of(const fs::path& files) {
  std::string manifest;
  for (const auto& file : regular_files(files)) {
    manifest += sha256_of_file(files / file) + "  " + file + "\n";
  }
  return manifest;
}

// "<64 hex>  <relative path>" lines → path → hash; throws on anything else.
std::map<std::string, std::string> parse_manifest(const std::string& text) {
  std::map<std::string, std::string> entries;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string::npos) throw std::runtime_error("the manifest ends in half a line");
    const auto line = text.substr(start, end - start);
    start = end + 1;
    const auto path = line.size() > 66 ? line.substr(66) : std::string();
    const fs::path relative(path);
    const bool escapes = std::any_of(relative.begin(), relative.end(),
                                     [](const fs::path& part) { return part == ".."; });
    if (line.size() <= 66 || line.substr(64, 2) != "  " ||
        line.find_first_not_of("0123456789abcdef") < 64 || relative.is_absolute() || escapes ||
        !entries.emplace(path, line.substr(0, 64)).second) {
      throw std::runtime_error("the manifest has a bad line: " + line.substr(0, 100));
    }
  }
  return entries;
}

std::string info_text(const DataDir& dir, bool sqlite) {
  SystemClock clock;
  const toml::table info{{"format", kArchiveFormat},
                         {"created_at", format_rfc3339(clock.now_ms())},
                         {"essc_version", ESSC_VERSION},
                         {"store", sqlite ? "sqlite" : "postgresql"},
                         {"source", fs::absolute(dir.root).string()}};
  std::ostringstream text;
  text << "# an essc backup (src/cli/backup.hpp)\n" << info << "\n";
  return text.str();
}

bool is_age_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(kAgeArmorHeader.size(), '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.starts_with(kAgeHeader) || head.starts_with(kAgeArmorHeader);
}

std::string size_text(const fs::path& file) {
  return std::to_string(fs::file_size(file)) + " bytes";
}

}  // namespace

void back_up(const DataDir& dir, const fs::path& to_arg, std::ostream& out,
             std::ostream& warnings) {
  crypto::initialize_sodium();
  ::umask(077);
  if (!fs::exists(dir.config()) || !fs::exists(dir.keys()))
    throw std::runtime_error("no essc data folder at " + dir.root.string());
  const auto config = load_config(dir.config());
  const bool sqlite = config.store_url.empty();
  const fs::path to = fs::absolute(to_arg);
  if (fs::exists(to)) throw std::runtime_error(to.string() + " exists; give a new file");
  if (!fs::is_directory(to.parent_path()))
    throw std::runtime_error("no folder " + to.parent_path().string() + " for the archive");
  StagingFolder staging(to.parent_path(), ".essc-backup-");
  const auto files = staging.path() / "files";
  fs::create_directory(files);

  if (sqlite) {
    store::copy_sqlite_online(dir.database(), files / "essc.db");
    for (const auto& sandbox : {dir.sandbox_bank(), dir.sandbox_sms()}) {
      if (fs::exists(sandbox)) store::copy_sqlite_online(sandbox, files / sandbox.filename());
    }
  }
  fs::copy_file(dir.keys(), files / "keys.toml");
  // Read through a link: the Debian package links the folder's essc.toml to /etc/essc.
  write_text(files / "essc.toml", read_text(dir.config()));
  fs::create_directory(files / "policies");
  if (fs::is_directory(dir.policies())) {
    for (const auto& entry : fs::directory_iterator(dir.policies())) {
      if (entry.is_regular_file())
        fs::copy_file(entry.path(), files / "policies" / entry.path().filename());
    }
  }
  if (fs::exists(dir.demo_clients()))
    fs::copy_file(dir.demo_clients(), files / "demo-clients.toml");
  write_text(files / kInfo, info_text(dir, sqlite));
  const auto manifest = manifest_of(files);
  write_text(files / kManifest, manifest);

  auto archive = staging.path() / "archive.tar";
  run_program({"tar", "--create", "--format=posix", "--sort=name", "--owner=0", "--group=0",
               "--numeric-owner", "--file", archive.string(), "--directory", files.string(), "."},
              std::string(kTarHint));
  if (!config.backup_recipients.empty()) {
    std::vector<std::string> age{"age", "--encrypt"};
    for (const auto& recipient : config.backup_recipients) {
      age.push_back("--recipient");
      age.push_back(recipient);
    }
    const auto encrypted = staging.path() / "archive.tar.age";
    age.insert(age.end(), {"--output", encrypted.string(), archive.string()});
    run_program(age, std::string(kAgeHint));
    archive = encrypted;
  }
  fs::permissions(archive, fs::perms::owner_read | fs::perms::owner_write);
  sync_file(archive);
  // link(2) refuses an existing name, so a file made meanwhile is never replaced.
  if (::link(archive.c_str(), to.c_str()) != 0) fail_errno("cannot create", to);
  sync_file(to.parent_path());

  out << "backed up " << dir.root.string() << " to " << to.string() << " (" << size_text(to) << ", "
      << (config.backup_recipients.empty()
              ? std::string("not encrypted")
              : "encrypted to " + std::to_string(config.backup_recipients.size()) +
                    " age recipient(s)")
      << ")\n";
  std::size_t start = 0;
  while (start < manifest.size()) {
    const auto end = manifest.find('\n', start);
    const auto file = manifest.substr(start + 66, end - start - 66);
    out << "  " << file << " (" << size_text(files / file) << ", sha256 "
        << manifest.substr(start, 16) << "…)\n";
    start = end + 1;
  }
  if (!sqlite) {
    out << "the store is PostgreSQL (" << store::redact_url(config.store_url)
        << "): this archive holds the keys, config and policies only; the database is backed "
           "up by PostgreSQL's own tools (pgBackRest or pg_dump, docs/operations.md \"Back "
           "up\")\n";
  }
  if (config.backup_recipients.empty()) {
    warnings << "essc: warning: " << to.string()
             << " is not encrypted ([backup] recipients is empty) and holds the key file; "
                "keep it as secret as the data folder\n";
  }
}

void write_backup_textfile(const DataDir& dir, const fs::path& archive, const fs::path& file,
                           std::int64_t now_ms) {
  // A label value escapes backslash, quote and newline (the text format's rules).
  std::string folder;
  for (const char ch : fs::absolute(dir.root).string()) {
    if (ch == '\\' || ch == '"') folder += '\\';
    folder += ch == '\n' ? std::string("\\n") : std::string(1, ch);
  }
  const auto labels = "{folder=\"" + folder + "\"}";
  const std::string text =
      "# HELP essc_backup_last_success_timestamp_seconds When essc backup last wrote an archive "
      "of the folder.\n"
      "# TYPE essc_backup_last_success_timestamp_seconds gauge\n"
      "essc_backup_last_success_timestamp_seconds" +
      labels + " " + std::to_string(now_ms / 1000) +
      "\n"
      "# HELP essc_backup_last_size_bytes The size of that archive.\n"
      "# TYPE essc_backup_last_size_bytes gauge\n"
      "essc_backup_last_size_bytes" +
      labels + " " + std::to_string(fs::file_size(archive)) + "\n";
  const auto next = fs::path(file.string() + ".next");
  {
    std::ofstream out(next, std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + next.string());
  }
  // Readable by the collector, which runs as its own user.
  fs::permissions(next, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);
  fs::rename(next, file);
}

void restore(const fs::path& from, const DataDir& dir, const std::optional<fs::path>& identity,
             std::ostream& out) {
  crypto::initialize_sodium();
  ::umask(077);
  if (!fs::is_regular_file(from)) throw std::runtime_error("no archive at " + from.string());
  const fs::path target = fs::absolute(dir.root);
  if (fs::exists(target) && (!fs::is_directory(target) || !fs::is_empty(target))) {
    throw std::runtime_error(target.string() + " holds data; restore into a new or empty folder");
  }
  fs::create_directories(target.parent_path());
  StagingFolder staging(target.parent_path(), ".essc-restore-");
  auto archive = from;
  const bool encrypted = is_age_file(from);
  if (encrypted) {
    if (!identity) {
      throw std::runtime_error(from.string() +
                               " is encrypted with age: give --identity FILE, the age identity "
                               "of one of its recipients");
    }
    archive = staging.path() / "archive.tar";
    run_program({"age", "--decrypt", "--identity", identity->string(), "--output", archive.string(),
                 from.string()},
                std::string(kAgeHint));
  }
  const auto files = staging.path() / "files";
  fs::create_directory(files);
  run_program({"tar", "--extract", "--no-same-owner", "--no-same-permissions", "--file",
               archive.string(), "--directory", files.string()},
              std::string(kTarHint));

  const auto present = regular_files(files);
  if (!fs::exists(files / kManifest)) throw std::runtime_error("the archive has no manifest");
  const auto manifest = parse_manifest(read_text(files / kManifest));
  for (const auto& file : present) {
    if (file != kManifest && !manifest.contains(file))
      throw std::runtime_error(file + " is in the archive but not in its manifest");
  }
  for (const auto& [file, hash] : manifest) {
    if (!fs::is_regular_file(files / file))
      throw std::runtime_error(file + " is in the manifest but not in the archive");
    if (sha256_of_file(files / file) != hash)
      throw std::runtime_error(file + " does not match its SHA-256 in the manifest");
  }
  for (const auto required :
       {kInfo, std::string_view("keys.toml"), std::string_view("essc.toml")}) {
    if (!manifest.contains(std::string(required)))
      throw std::runtime_error("the archive has no " + std::string(required));
  }
  toml::table info;
  try {
    info = toml::parse_file((files / kInfo).string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error("cannot read " + std::string(kInfo) + ": " +
                             std::string(e.description()));
  }
  if (info["format"].value<std::int64_t>() != kArchiveFormat) {
    throw std::runtime_error("the archive's format is not " + std::to_string(kArchiveFormat) +
                             "; restore it with the essc that wrote it");
  }
  const auto store_kind = info["store"].value_or(std::string());
  read_key_file(files / "keys.toml");  // whole and private, or this throws naming why

  const DataDir staged{files};
  std::string audit_line;
  if (store_kind == "sqlite") {
    if (!manifest.contains("essc.db")) throw std::runtime_error("the archive has no essc.db");
    if (!load_config(staged.config()).store_url.empty()) {
      throw std::runtime_error(
          "ESSC_STORE_URL names a PostgreSQL store, but the archive is of a SQLite folder; "
          "unset it to restore");
    }
    App app(staged, false);  // opens the copy, applying any newer schema migrations
    const auto check = app.platform().audit.verify();
    if (!check.ok())
      throw std::runtime_error("the archive's audit log does not verify: " + *check.problem);
    audit_line = "audit log verified: " + std::to_string(check.entries) + " entries, " +
                 std::to_string(check.checkpoints) + " signed checkpoints; schema version " +
                 std::to_string(app.platform().ctx.db.schema_version()) + "\n";
  } else if (store_kind != "postgresql") {
    throw std::runtime_error("the archive names no store it knows: '" + store_kind + "'");
  }

  // What described the archive is printed below, not left among the folder's files.
  fs::remove(files / kManifest);
  fs::remove(files / kInfo);
  if (fs::exists(target)) fs::remove(target);  // the empty folder it was given
  fs::rename(files, target);
  fs::permissions(target, fs::perms::owner_all);
  sync_file(target.parent_path());
  out << "restored " << from.string() << " into " << target.string() << " (taken "
      << info["created_at"].value_or(std::string("?")) << " from "
      << info["source"].value_or(std::string("?")) << " by essc "
      << info["essc_version"].value_or(std::string("?")) << ")\n";
  for (const auto& [file, hash] : manifest) {
    if (file != kInfo)
      out << "  " << file << " (" << size_text(target / file) << ", sha256 matches)\n";
  }
  if (store_kind == "sqlite") {
    out << audit_line;
  } else {
    out << "the store is PostgreSQL: the archive holds keys, config and policies only; restore "
           "the database with PostgreSQL's tools, then run `essc audit verify --data-dir "
        << target.string() << "`\n";
  }
}

}  // namespace essc::cli
