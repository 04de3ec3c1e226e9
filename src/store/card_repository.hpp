// Physical cards (R-C1, R-C2, R-C3). PIN hashes are stored as given (Argon2id strings);
// the bank account number and reserved phone are sealed (R-S5).
#pragma once

#include <optional>
#include <vector>

#include "crypto/pii_vault.hpp"
#include "domain/card.hpp"
#include "domain/ecard.hpp"
#include "domain/person.hpp"
#include "store/sql.hpp"

namespace essc::store {

struct BindingAndHolder {
  domain::Binding binding;
  domain::Card card;
  domain::Person person;
};

// Throws StoreError (constraint) when the number is taken or the person already has
// a live card.
void insert_card(Connection& c, const crypto::PiiVault& vault, const domain::Card& card);
// Writes every mutable column of the card.
void update_card(Connection& c, const crypto::PiiVault& vault, const domain::Card& card);
std::optional<domain::Card> find_card(Connection& c, const crypto::PiiVault& vault,
                                      std::string_view card_no);
// The person's card that is neither cancelled nor replaced, if any.
std::optional<domain::Card> find_live_card(Connection& c, const crypto::PiiVault& vault,
                                           std::int64_t person_id);
// The person's most recent card in any state (R-E5 needs to tell "replaced" apart
// from "no card").
std::optional<domain::Card> find_latest_card(Connection& c, const crypto::PiiVault& vault,
                                             std::int64_t person_id);
// The live card, else the most recent: the card a person is known by, whose status says
// why they may not use it (R-E5).
std::optional<domain::Card> find_current_card(Connection& c, const crypto::PiiVault& vault,
                                              std::int64_t person_id);
bool card_exists(Connection& c, std::string_view card_no);
// A binding, the card its e-card stands for and the card's holder, in one statement:
// every status read, identity check and settlement needs all three (one round trip on
// PostgreSQL instead of four).
std::optional<BindingAndHolder> find_binding_with_holder(Connection& c,
                                                         const crypto::PiiVault& vault,
                                                         std::string_view binding_id);
// The read find_binding_with_holder() makes, sent ahead of it (Statement::send_ahead()).
void send_binding_with_holder_ahead(Connection& c, std::string_view binding_id);

}  // namespace essc::store
