// Personal medical accounts (个人账户) and their movements, and benefits received
// (R-U6). Every balance change writes a movement row in the same transaction, so the
// balance always equals the sum of its movements.
#pragma once

#include <optional>
#include <vector>

#include "domain/account_movement.hpp"
#include "domain/card.hpp"
#include "store/sql.hpp"

namespace essc::store {

std::int64_t medical_balance_fen(Connection& c, std::int64_t person_id);
// The read medical_balance_fen() makes, sent ahead of it (Statement::send_ahead()).
void send_medical_balance_ahead(Connection& c, std::int64_t person_id);

// Adds `amount_fen` (negative to debit) and records the movement; returns it.
// REQUIRES: the resulting balance is not negative (callers check first; the CHECK
// constraint stops a bug from making it so, and a debit of an account never credited
// throws StoreError).
domain::AccountMovement apply_medical_movement(Connection& c, std::int64_t person_id,
                                               std::string_view kind, std::int64_t amount_fen,
                                               std::string_view memo,
                                               std::optional<std::string_view> reference,
                                               std::int64_t at_ms);

std::optional<domain::AccountMovement> find_movement_by_reference(Connection& c,
                                                                  std::string_view reference);

// Throws StoreError (constraint) when the person already has this kind for this period.
void insert_benefit(Connection& c, const domain::Benefit& benefit);
std::optional<domain::Benefit> find_benefit(Connection& c, std::int64_t person_id,
                                            std::string_view kind, std::string_view period);

}  // namespace essc::store
