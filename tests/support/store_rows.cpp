#include "support/store_rows.hpp"

#include <stdexcept>

#include "store/card_repository.hpp"
#include "store/ecard_repository.hpp"
#include "store/person_repository.hpp"

namespace essc::testing {
namespace {

// `prefix` and then `n` in `width` digits, zero-padded.
std::string numbered(std::string prefix, int n, std::size_t width) {
  const std::string text = std::to_string(n);
  if (text.size() < width) prefix.append(width - text.size(), '0');
  prefix.append(text);
  return prefix;
}

// The rows a test builds on must be stored: a failure here ends the test.
void stored(const Status& status, const char* what) {
  if (!status.ok()) throw std::runtime_error(std::string("storing ") + what + " failed");
}

}  // namespace

domain::Person stored_person(TestPlatform& t, int n) {
  domain::Person p;
  p.id_number = make_id_number(numbered("33020219900101", n, 3));
  p.name = numbered("张三", n, 1);
  p.region_code = kNingbo;
  p.phone = numbered("1380013", n, 4);
  p.photo_police = true;
  p.photo_cardholder = n % 2 == 0;
  p.created_at_ms = kTestEpochMs + n;
  stored(write_rows(t.ctx().db,
                    [&](store::Connection& c) { store::insert_person(c, t.ctx().vault, p); }),
         "a person");
  return p;
}

domain::Card stored_card(TestPlatform& t, std::int64_t person_id, int n) {
  domain::Card card;
  card.card_no = numbered("A", n, 8);
  card.person_id = person_id;
  card.status = domain::CardStatus::kActive;
  card.region_code = kNingbo;
  card.bank_code = "102";
  card.hr_pin_hash = numbered("$argon2id$hr", n, 1);
  card.financial_pin_hash = numbered("$argon2id$fin", n, 1);
  card.financial_active = true;
  card.bank_account_no = numbered("62220212345678", n, 5);
  card.reserved_phone = numbered("1390013", n, 4);
  card.replaces_card_no = numbered("B", n, 8);
  card.created_at_ms = kTestEpochMs + n;
  card.updated_at_ms = kTestEpochMs + n + 1;
  stored(write_rows(t.ctx().db,
                    [&](store::Connection& c) { store::insert_card(c, t.ctx().vault, card); }),
         "a card");
  return card;
}

domain::Client stored_channel(TestPlatform& t, int n) {
  domain::Client client;
  client.client_id = numbered("ch_store_", n, 1);
  client.name = numbered("政务APP", n, 1);
  client.channel_type = domain::ChannelType::kGov;
  client.secret = std::string(64, 'a');
  client.requests_per_minute = 6000;
  client.created_at_ms = kTestEpochMs;
  stored(write_rows(t.ctx().db,
                    [&](store::Connection& c) { store::insert_client(c, t.ctx().vault, client); }),
         "a channel");
  return client;
}

domain::Ecard stored_ecard(TestPlatform& t, const domain::Card& card) {
  domain::Ecard ecard;
  ecard.card_no = card.card_no;
  ecard.person_id = card.person_id;
  ecard.password_hash = "$argon2id$ecard-" + card.card_no;
  ecard.password_failures = 2;
  ecard.password_locked_until_ms = kTestEpochMs + 60'000;
  ecard.created_at_ms = kTestEpochMs + 5;
  ecard.updated_at_ms = kTestEpochMs + 6;
  stored(write_rows(t.ctx().db, [&](store::Connection& c) { store::insert_ecard(c, ecard); }),
         "an e-card");
  return ecard;
}

}  // namespace essc::testing
