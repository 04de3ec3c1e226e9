#include "cli/seed.hpp"

#include <array>
#include <iostream>
#include <stdexcept>

#include "cli/private_file.hpp"
#include "cli/progress_bar.hpp"
#include "crypto/random.hpp"
#include "domain/card.hpp"
#include "domain/client.hpp"
#include "domain/ecard.hpp"
#include "domain/id_number.hpp"
#include "domain/password_rules.hpp"
#include "domain/person.hpp"
#include "store/account_repository.hpp"
#include "store/audit_log.hpp"
#include "store/card_repository.hpp"
#include "store/ecard_repository.hpp"
#include "store/person_repository.hpp"

namespace essc::cli {
namespace {

constexpr char kAnyPerson[] = "SELECT 1 FROM persons LIMIT 1";
// For the writer connection of this process only (the seed's, not a server's): 256 MiB.
constexpr char kSeedCache[] = "PRAGMA cache_size=-262144";
constexpr char kRegion[] = "330200";
constexpr char kBank[] = "NBCB";
// 1000 persons per birth date from here keeps ID numbers valid and unique up to the cap.
constexpr std::int64_t kFirstBirthDay = -7305;  // 1950-01-01, days since 1970-01-01
constexpr std::int64_t kPersonsPerBirthDay = 1000;
constexpr std::array<const char*, 10> kSurnames{"王", "李", "张", "刘", "陈",
                                                "杨", "黄", "赵", "吴", "周"};
constexpr std::array<const char*, 10> kGivenNames{"伟", "芳", "娜", "敏", "静",
                                                  "丽", "强", "磊", "军", "洋"};

std::string padded(std::int64_t value, int digits) {
  std::string text = std::to_string(value);
  const auto width = static_cast<std::size_t>(digits);
  if (text.size() < width) text.insert(0, width - text.size(), '0');
  return text;
}

// Days since 1970-01-01 to "YYYYMMDD" (Howard Hinnant's civil_from_days).
std::string yyyymmdd(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return padded(year, 4) + padded(month, 2) + padded(day, 2);
}

std::string seeded_id_number(std::int64_t i) {
  const auto first17 = std::string("330203") + yyyymmdd(kFirstBirthDay + i / kPersonsPerBirthDay) +
                       padded(i % kPersonsPerBirthDay, 3);
  return first17 + domain::id_number_check_character(first17);
}

std::string seeded_name(std::int64_t i) {
  return std::string(kSurnames[static_cast<std::size_t>(i % 10)]) +
         kGivenNames[static_cast<std::size_t>(i / 10 % 10)] +
         kGivenNames[static_cast<std::size_t>(i / 100 % 10)];
}

// Six random digits that pass R-W2 for a seeded person. The load tests only ever check
// this password, never set it, so one check stands for all.
std::string seeded_password() {
  const auto id = domain::IdNumber::parse(seeded_id_number(0)).value();
  for (;;) {
    auto password = crypto::random_digits(6);
    if (!domain::weak_password_reason(password, id)) return password;
  }
}

struct SeededClients {
  std::vector<domain::Client> channels;
  std::vector<domain::Client> institutions;
};

SeededClients add_clients(services::Platform& p, const SeedOptions& options) {
  const auto cli = services::Actor::command_line();
  SeededClients out;
  const auto add = [&](const services::NewClient& request) {
    auto client = p.clients.add(cli, request);
    if (!client)
      throw std::runtime_error("seed: client " + request.name + ": " + client.error().detail);
    return std::move(client).value();
  };
  for (int i = 0; i < options.channels; ++i) {
    out.channels.push_back(add({"channel", "压测渠道" + std::to_string(i), "third_party",
                                std::nullopt, kRegion, std::nullopt}));
  }
  for (int i = 0; i < options.institutions; ++i) {
    out.institutions.push_back(add({"institution", "压测药房" + std::to_string(i), std::nullopt,
                                    "pharmacy", kRegion, std::nullopt}));
  }
  return out;
}

std::string credentials_text(const SeedOptions& options, const SeededClients& clients,
                             const std::string& password, const std::string& binding_prefix,
                             const std::string& server_listen) {
  std::string text =
      "# essc seed: what a load generator needs to act as the seeded channels and pharmacies.\n"
      "# Secret (mode 0600). Binding i is binding_prefix + i in 9 digits, held by channel i mod "
      "channels.\n";
  text += "listen=" + server_listen + "\n";
  text += "persons=" + std::to_string(options.persons) + "\n";
  text += "password=" + password + "\n";
  text += "binding_prefix=" + binding_prefix + "\n";
  text += "channels=" + std::to_string(clients.channels.size()) + "\n";
  for (std::size_t i = 0; i < clients.channels.size(); ++i) {
    text += "channel." + std::to_string(i) + ".id=" + clients.channels[i].client_id + "\n";
    text += "channel." + std::to_string(i) + ".secret=" + clients.channels[i].secret + "\n";
  }
  text += "institutions=" + std::to_string(clients.institutions.size()) + "\n";
  for (std::size_t i = 0; i < clients.institutions.size(); ++i) {
    text += "institution." + std::to_string(i) + ".id=" + clients.institutions[i].client_id + "\n";
    text += "institution." + std::to_string(i) + ".secret=" + clients.institutions[i].secret + "\n";
  }
  return text;
}

}  // namespace

void seed_data_dir(const DataDir& dir, App& app, const SeedOptions& options,
                   const SeedProgress& progress) {
  if (options.persons < 1 || options.persons > kSeedPersonsMax) {
    throw std::runtime_error("--persons must be between 1 and " + std::to_string(kSeedPersonsMax));
  }
  if (options.channels < 1 || options.institutions < 1)
    throw std::runtime_error("give at least one channel and institution");
  const auto credentials = dir.root / kSeedCredentialsFile;
  auto& p = app.platform();
  const bool has_persons =
      p.ctx.db
          .read([](store::Connection& c) {
            return c.prepare(kAnyPerson).first([](const store::Statement&) { return true; });
          })
          .has_value();
  if (has_persons || std::filesystem::exists(credentials)) {
    throw std::runtime_error(dir.root.string() + " already holds persons; seed a new data folder");
  }

  const auto clients = add_clients(p, options);
  const auto password = seeded_password();
  const std::string password_hash = p.ctx.hasher.hash(password);
  const std::string pin_hash = p.ctx.hasher.hash(crypto::random_digits(6));
  const std::string binding_prefix = "bd_seed" + crypto::random_token(3) + "_";
  write_private_file(credentials, credentials_text(options, clients, password, binding_prefix,
                                                   app.config().listen));

  const auto now = p.ctx.clock.now_ms();
  for (std::int64_t first = 0; first < options.persons; first += kSeedRowsPerTransaction) {
    const std::int64_t last = std::min(options.persons, first + kSeedRowsPerTransaction);
    auto written = p.ctx.db.write<bool>([&](store::Connection& c) -> Result<bool> {
      // Inserts land all over the unique indexes (blind index, card and binding ids): with
      // SQLite's 2 MiB default cache most of them re-read and re-write a page.
      if (first == 0) c.exec(kSeedCache);
      for (std::int64_t i = first; i < last; ++i) {
        domain::Person person{
            0, seeded_id_number(i), seeded_name(i), kRegion, "139" + padded(i, 8), true, true, now};
        store::insert_person(c, p.ctx.vault, person);
        domain::Card card;
        card.card_no = "S" + padded(i, 8);
        card.person_id = person.person_id;
        card.status = domain::CardStatus::kActive;
        card.region_code = kRegion;
        card.bank_code = kBank;
        card.hr_pin_hash = pin_hash;
        card.created_at_ms = card.updated_at_ms = now;
        store::insert_card(c, p.ctx.vault, card);
        domain::Ecard ecard{0,   card.card_no, person.person_id, password_hash, 0, std::nullopt,
                            now, now};
        store::insert_ecard(c, ecard);
        const auto& channel = clients.channels[static_cast<std::size_t>(i % options.channels)];
        store::insert_binding(c,
                              {binding_prefix + padded(i, 9), ecard.ecard_id, channel.client_id, 1,
                               domain::BindingStatus::kUsable, now, now},
                              person.person_id);
        store::apply_medical_movement(c, person.person_id, "credit", options.medical_balance_fen,
                                      "个人账户划入", std::nullopt, now);
      }
      store::append_audit(c, now, "cli", "person.seed",
                          std::to_string(first) + ".." + std::to_string(last - 1), "ok");
      return true;
    });
    if (!written) throw std::runtime_error("seed: " + written.error().detail);
    if (progress) progress(last, options.persons);
  }
}

void run_seed_command(const DataDir& dir, const SeedOptions& options) {
  initialize_data_dir(dir);
  App app(dir, false);
  ProgressBar bar("persons");
  seed_data_dir(dir, app, options,
                [&](std::int64_t done, std::int64_t total) { bar.show(done, total); });
  std::cout << "seeded " << options.persons
            << " persons with active cards, e-cards, bindings and medical accounts, "
            << options.channels << " channels and " << options.institutions << " pharmacies in "
            << bar.seconds() << " s; credentials in " << (dir.root / kSeedCredentialsFile).string()
            << " (mode 0600)" << std::endl;
}

}  // namespace essc::cli
