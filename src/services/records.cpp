#include "services/records.hpp"

#include "common/clock.hpp"
#include "domain/client.hpp"
#include "store/account_repository.hpp"
#include "store/settlement_repository.hpp"

namespace essc::services {

Result<AccountSummary> RecordService::account(const domain::Client& client,
                                              std::string_view binding_id) {
  ESSC_ASSIGN_OR_RETURN(auto holder, ecards_.owned_binding(client, binding_id, BindingUse::kRead));
  const std::int64_t year = cst_year(clock_.now_ms());
  const auto person_id = holder.person.person_id;
  return db_.read([&](store::Connection& c) {
    const auto figures = store::year_figures(c, person_id, year);
    return AccountSummary{store::medical_balance_fen(c, person_id), year, figures.fund_paid_fen,
                          figures.deductible_used_fen};
  });
}

Result<RecordPage> RecordService::list(const domain::Client& client, std::string_view binding_id,
                                       const RecordQuery& query) {
  const auto& k = query.kind;
  if (k != "settlements" && k != "contributions" && k != "benefits" && k != "account" &&
      k != "auth") {
    return Error::invalid_field("kind");
  }
  ESSC_ASSIGN_OR_RETURN(auto holder, ecards_.owned_binding(client, binding_id, BindingUse::kRead));
  return list_of_person(holder.person.person_id, query);
}

RecordPage RecordService::list_of_person(std::int64_t person_id, const RecordQuery& query) {
  RecordPage page;
  page.items = db_.read([&](store::Connection& c) {
    return store::list_records(c, query.kind, person_id, query.from_ms, query.to_ms, query.before,
                               query.limit + 1);
  });
  if (static_cast<std::int64_t>(page.items.size()) > query.limit) {
    page.items.pop_back();
    page.next_before = page.items.back().cursor;
  }
  return page;
}

}  // namespace essc::services
