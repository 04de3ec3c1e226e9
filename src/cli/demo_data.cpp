#include "cli/demo_data.hpp"

#include <toml++/toml.h>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "cli/policy_files.hpp"
#include "cli/private_file.hpp"
#include "common/clock.hpp"
#include "common/limits.hpp"
#include "crypto/encoding.hpp"
#include "domain/id_number.hpp"
#include "domain/insurance_record.hpp"
#include "store/card_repository.hpp"
#include "store/operator_repository.hpp"
#include "store/person_repository.hpp"

namespace essc::cli {
namespace {

using domain::CardAction;

// Demo passwords only ever protect sandbox data on the demo machine.
constexpr char kAdminPassword[] = "demo-admin-2026";
constexpr char kClerkPassword[] = "demo-clerk-2026";
constexpr char kTellerPassword[] = "demo-teller-2026";
constexpr char kAuditorPassword[] = "demo-auditor-2026";
constexpr char kBank[] = "NBCB";
constexpr char kShanghai[] = "310100";

template <class T>
T must(Result<T> result, const std::string& what) {
  if (!result)
    throw std::runtime_error("demo data: " + what + ": " +
                             std::string(error_code_name(result.error().code)));
  return std::move(result).value();
}

std::string id_number(const std::string& first17) {
  return first17 + domain::id_number_check_character(first17);
}

struct Holder {
  const char* name;
  const char* first17;
  const char* phone;  // nullptr: none (a child)
  bool photos;
  // The card's story: actions after issuing, and whether the bank function is opened.
  std::vector<CardAction> actions;
  const char* account;         // nullptr: no financial function
  const char* reserved_phone;  // the bank-reserved phone
  std::int64_t bank_fen;       // sandbox bank balance
  std::int64_t medical_fen;    // personal account balance
  const char* situation;
};

struct DemoClientSpec {
  const char* key;
  services::NewClient client;
};

std::string toml_string(std::string_view text) {
  std::ostringstream out;
  out << toml::value<std::string>(std::string(text));
  return out.str();
}

// R-F1, R-F2: 张三 holds his daughter (added alone: under 16) and his mother, who
// consented with her own face verification in the gov channel.
void link_family(services::Platform& p, const std::vector<Holder>& holders,
                 const std::string& gov_client_id) {
  const auto& ctx = p.ctx;
  const auto gov =
      *ctx.db.read([&](store::Connection& c) { return ctx.clients.find(c, gov_client_id); });
  const auto view_of = [&](const char* first17) {
    const auto id = id_number(first17);
    return ctx.db.read([&](store::Connection& c) {
      auto person = *store::find_person_by_id_number(c, ctx.vault, id);
      auto card = *store::find_live_card(c, ctx.vault, person.person_id);
      return services::BindingView{{}, std::move(card), std::move(person)};
    });
  };
  const auto zhang = view_of(holders[0].first17);
  const auto daughter = view_of(holders[10].first17);
  const auto mother = view_of(holders[11].first17);
  must(p.family.add(gov, zhang,
                    {daughter.person.name, daughter.person.id_number, "child", std::nullopt}),
       "张小花");
  const auto consent =
      must(p.verifications.start(gov, {"family_consent", mother.person.name,
                                       mother.person.id_number, std::nullopt, std::nullopt}),
           "李秀英")
          .verification_id;
  must(p.verifications.face(gov, consent, crypto::to_base64("demo face")), "李秀英");
  must(p.family.add(gov, zhang, {mother.person.name, mother.person.id_number, "parent", consent}),
       "李秀英");
}

// R-R1, R-R2: the insurance history the HR system fed for 张三 and his mother, up to
// last month. 张三: the five insurances from 2018-03 at the port, three months without a
// job (2021-09 … 2021-11), then the bank, his base rising each January. 李秀英: pension
// and medical at the textile mill until she retired in 2013-02.
void feed_insurance_history(services::Platform& p, const std::vector<Holder>& holders,
                            const services::Actor& clerk) {
  struct Rate {
    const char* insurance;
    std::int64_t employer_bp;
    std::int64_t personal_bp;
  };
  static constexpr Rate kRates[] = {{"pension", 1600, 800},
                                    {"medical", 750, 200},
                                    {"unemployment", 50, 50},
                                    {"work_injury", 40, 0},
                                    {"maternity", 50, 0}};
  const auto this_month = *domain::parse_month(format_cst_date(p.ctx.clock.now_ms()).substr(0, 7));
  const auto feed = [&](const Holder& h, domain::Period from, domain::Period to,
                        const char* employer, std::int64_t base_fen, std::size_t insurances) {
    std::vector<domain::InsuranceRecordInput> items;
    for (auto m = from; m <= to; m = domain::next_month(m)) {
      const std::int64_t base = base_fen + std::int64_t{m.year - from.year} * 30000;
      for (std::size_t i = 0; i < insurances; ++i) {
        items.push_back({kRates[i].insurance, m.str(), base, base * kRates[i].employer_bp / 10000,
                         base * kRates[i].personal_bp / 10000, employer, "330200"});
      }
      if (items.size() + insurances > limits::kInsuranceRecordsPerRequestMax) {
        must(p.insurance.add(clerk, id_number(h.first17), items), h.name);
        items.clear();
      }
    }
    if (!items.empty()) must(p.insurance.add(clerk, id_number(h.first17), items), h.name);
  };
  const auto before = [](domain::Period m) {
    return m.month == 1 ? domain::Period{m.year - 1, 12} : domain::Period{m.year, m.month - 1};
  };
  const auto& zhang = holders[0];
  feed(zhang, {2018, 3}, {2021, 8}, "宁波港集团有限公司", 700000, 5);
  feed(zhang, {2021, 12}, before(this_month), "宁波银行股份有限公司", 900000, 5);
  feed(holders[11], {2003, 1}, {2013, 2}, "宁波和丰纺织厂", 250000, 2);
}

}  // namespace

std::vector<DemoLogin> load_demo_data(services::Platform& p, adapters::SandboxBank& bank,
                                      const std::filesystem::path& clients_file) {
  const bool loaded = p.ctx.db.read(
      [](store::Connection& c) { return store::find_operator(c, "admin").has_value(); });
  if (loaded) return {};
  const auto cli = services::Actor::command_line();
  must(p.operators.add(cli, {"admin", kAdminPassword, "admin", std::nullopt}), "admin");
  must(p.operators.add(cli, {"clerk", kClerkPassword, "hr_clerk", std::nullopt}), "clerk");
  must(p.operators.add(cli, {"teller", kTellerPassword, "bank_teller", kBank}), "teller");
  must(p.operators.add(cli, {"auditor", kAuditorPassword, "auditor", std::nullopt}), "auditor");
  const auto clerk = services::Actor::of_operator(
      *p.ctx.db.read([](store::Connection& c) { return store::find_operator(c, "clerk"); }));
  const auto teller = services::Actor::of_operator(
      *p.ctx.db.read([](store::Connection& c) { return store::find_operator(c, "teller"); }));

  std::vector<DemoLogin> out{
      {"operator admin", std::string("password ") + kAdminPassword},
      {"operator clerk (hr_clerk)", std::string("password ") + kClerkPassword},
      {"operator teller (bank_teller, NBCB)", std::string("password ") + kTellerPassword},
      {"operator auditor (auditor)", std::string("password ") + kAuditorPassword}};
  const std::vector<DemoClientSpec> clients{
      {"gov", {"channel", "宁波人社APP", "gov", std::nullopt, "330200", std::nullopt}},
      {"bank", {"channel", "宁波银行APP", "bank", std::nullopt, "330200", std::nullopt}},
      {"wallet", {"channel", "城市钱包", "third_party", std::nullopt, "330200", std::nullopt}},
      {"pharmacy", {"institution", "海曙大药房", std::nullopt, "pharmacy", "330200", std::nullopt}},
      {"hospital",
       {"institution", "宁波第一医院", std::nullopt, "hospital", "330200", std::nullopt}},
      {"hall",
       {"institution", "海曙社保服务大厅", std::nullopt, "service_hall", "330200", std::nullopt}},
      // Treatment in another province (R-X1…R-X3): Shanghai has a policy of its own.
      {"sh_pharmacy",
       {"institution", "上海徐汇大药房", std::nullopt, "pharmacy", kShanghai, std::nullopt}},
      {"sh_hospital",
       {"institution", "上海瑞金医院", std::nullopt, "hospital", kShanghai, std::nullopt}},
  };
  std::map<std::string, std::string> made_clients;
  std::string credentials =
      "# The demo clients' credentials, read by the demo client backend of `essc demo`.\n"
      "# Sandbox data only; keep it private all the same (mode 0600).\n";
  for (const auto& [key, c] : clients) {
    const auto made = must(p.clients.add(cli, c), c.name);
    made_clients[key] = made.client_id;
    out.push_back({c.name, "client_id=" + made.client_id + " client_secret=" + made.secret});
    credentials += "\n[[client]]\nkey = " + toml_string(key) + "\nname = " + toml_string(c.name) +
                   "\nkind = " + toml_string(c.kind) + "\ntype = " +
                   toml_string(c.channel_type.value_or(c.institution_type.value_or(""))) +
                   "\nclient_id = " + toml_string(made.client_id) +
                   "\nclient_secret = " + toml_string(made.secret) + "\n";
  }
  write_private_file(clients_file, credentials);

  using A = CardAction;
  const std::vector<Holder> holders{
      {"张三",
       "33020319900307001",
       "13800000001",
       true,
       {A::kCollect, A::kActivate},
       "6222021234567890128",
       "13800000001",
       500000,
       100000,
       "normal card, level-2 ready, funded bank account"},
      {"李四",
       "33020319850512002",
       "13800000002",
       true,
       {},
       nullptr,
       nullptr,
       0,
       0,
       "card not yet collected"},
      {"王五",
       "33020319791120003",
       "13800000003",
       true,
       {A::kCollect},
       nullptr,
       nullptr,
       0,
       0,
       "card not activated"},
      {"赵六",
       "33020319920214004",
       "13800000004",
       true,
       {A::kCollect, A::kActivate, A::kReportLoss},
       nullptr,
       nullptr,
       0,
       20000,
       "card reported lost"},
      {"钱七",
       "33020319700808005",
       "13800000005",
       true,
       {A::kCollect, A::kActivate, A::kLock},
       nullptr,
       nullptr,
       0,
       0,
       "card locked"},
      {"孙八",
       "33020319660606006",
       "13800000006",
       true,
       {A::kCollect, A::kActivate, A::kCancel},
       nullptr,
       nullptr,
       0,
       0,
       "card cancelled"},
      {"周九",
       "33020319880101007",
       "13800000007",
       true,
       {A::kCollect, A::kActivate, A::kReplace},
       nullptr,
       nullptr,
       0,
       0,
       "card replaced: the new card waits to be collected"},
      {"吴十",
       "33020319951231008",
       "13800000008",
       false,
       {A::kCollect, A::kActivate},
       "6217001234567890122",
       "13800000008",
       80000,
       50000,
       "no reference photo: face fails, SMS works"},
      {"郑十一",
       "33020320000229009",
       "13800000009",
       true,
       {A::kCollect, A::kActivate},
       nullptr,
       nullptr,
       0,
       30000,
       "financial function not active: level 1 only"},
      {"陈十二",
       "33020319820707010",
       "13800000010",
       true,
       {A::kCollect, A::kActivate},
       "6228481234567890128",
       "13900000010",
       0,
       10000,
       "bank-reserved phone differs from his own; bank account unfunded"},
      {"张小花",
       "33020320190601011",
       nullptr,
       true,
       {A::kCollect, A::kActivate},
       nullptr,
       nullptr,
       0,
       20000,
       "张三's daughter, under 16: in his family account"},
      {"李秀英",
       "33020319580315012",
       "13800000012",
       true,
       {A::kCollect, A::kActivate},
       nullptr,
       nullptr,
       0,
       30000,
       "张三's mother, over 16: in his family account with her consent"},
  };
  for (const auto& h : holders) {
    const auto id = id_number(h.first17);
    const auto phone = h.phone ? std::optional<std::string>(h.phone) : std::nullopt;
    must(p.registry.add_person(clerk, {h.name, id, "330200", phone, h.photos, h.photos}), h.name);
    auto card = must(p.registry.issue_card(clerk, id, kBank), h.name).card.card_no;
    for (const auto action : h.actions) {
      if (action == A::kActivate) {
        must(p.registry.activate(clerk, card, "975310"), h.name);
        if (h.account)
          must(p.registry.activate_financial(teller, card, {h.account, h.reserved_phone, "864200"}),
               h.name);
      } else if (action == A::kReplace) {
        card = must(p.registry.replace(clerk, card), h.name).card.card_no;
      } else {
        must(p.registry.apply(clerk, card, action), h.name);
      }
    }
    if (h.account && h.bank_fen > 0) bank.fund(h.account, h.bank_fen);
    if (h.medical_fen > 0)
      must(p.accounts.credit_medical(clerk, {id, h.medical_fen, "个人账户划入", std::nullopt}),
           h.name);
    out.push_back({std::string("cardholder ") + h.name, id + " (" + h.situation + ")"});
  }
  link_family(p, holders, made_clients.at("gov"));
  feed_insurance_history(p, holders, clerk);
  return out;
}

void write_demo_policies(const std::filesystem::path& folder) {
  const auto file = folder / (std::string(kShanghai) + ".toml");
  if (std::filesystem::exists(file)) return;  // a demo folder's second start keeps its own
  // Illustrative values that differ from Ningbo's, so a Ningbo cardholder treated in
  // Shanghai visibly settles under Ningbo's policy (R-X1).
  domain::RegionPolicy shanghai;
  shanghai.outpatient_deductible_fen = 150000;
  shanghai.outpatient_fund_ratio_bp = 7000;
  shanghai.outpatient_annual_cap_fen = 800000;
  std::filesystem::create_directories(folder);
  std::ofstream(file) << region_policy_text(shanghai);
  // Ningbo caps a statin at 60 tablets a month (R-K4): the README's walk-through buys it
  // twice and meets the cap.
  domain::RegionPolicy ningbo;
  ningbo.item_limits.push_back({"YP-ATV-20", 60, 30});
  std::ofstream(folder / "330200.toml") << region_policy_text(ningbo);
}

std::vector<http::DemoClient> read_demo_clients(const std::filesystem::path& clients_file) {
  if (!std::filesystem::exists(clients_file))
    throw std::runtime_error("no demo clients file at " + clients_file.string());
  require_private(clients_file);
  toml::table table;
  try {
    table = toml::parse_file(clients_file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(clients_file.string() + ": " + std::string(e.description()));
  }
  std::vector<http::DemoClient> clients;
  if (const auto* entries = table["client"].as_array()) {
    for (const auto& entry : *entries) {
      const auto* t = entry.as_table();
      if (!t) continue;
      const toml::node_view<const toml::node> v{t};
      const auto text = [&](const char* name) { return v[name].value_or(std::string()); };
      http::DemoClient client{text("key"),  text("name"),      text("kind"),
                              text("type"), text("client_id"), text("client_secret")};
      if (client.key.empty() || client.client_id.empty() || client.client_secret.empty()) {
        throw std::runtime_error(clients_file.string() +
                                 ": a client needs key, client_id and client_secret");
      }
      clients.push_back(std::move(client));
    }
  }
  return clients;
}

}  // namespace essc::cli
