// E-cards and their channel bindings (R-E1, R-E2, R-W4).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "domain/ecard.hpp"
#include "store/sql.hpp"

namespace essc::store {

// Inserts and sets ecard.ecard_id.
void insert_ecard(Connection& c, domain::Ecard& ecard);
std::optional<domain::Ecard> find_ecard(Connection& c, std::int64_t ecard_id);
std::optional<domain::Ecard> find_ecard_by_card(Connection& c, std::string_view card_no);
// Writes password_hash, password_failures, password_locked_until_ms and updated_at_ms.
void update_ecard_password_state(Connection& c, const domain::Ecard& ecard);

// `person_id`: the e-card's holder, kept on the row as its shard key (docs/scale-out.md).
void insert_binding(Connection& c, const domain::Binding& binding, std::int64_t person_id);
std::optional<domain::Binding> find_binding(Connection& c, std::string_view binding_id);
// The columns binding_from_row reads, in its order, for queries that join bindings AS b.
inline constexpr std::string_view kBindingJoinedColumns =
    "b.binding_id, b.ecard_id, b.client_id, b.level, b.status, b.created_at_ms, b.updated_at_ms";
// The binding whose kBindingJoinedColumns begin at column `first` of the row.
domain::Binding binding_from_row(const Statement& s, int first = 0);
// The live (not unlinked) binding of this e-card in this channel.
std::optional<domain::Binding> find_live_binding(Connection& c, std::int64_t ecard_id,
                                                 std::string_view client_id);
std::vector<domain::Binding> live_bindings(Connection& c, std::int64_t ecard_id);
void update_binding(Connection& c, const domain::Binding& binding);

}  // namespace essc::store
