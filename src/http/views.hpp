// How records appear in answers. Operators see the data they entered; personal data a
// card answer carries for context (the holder's ID number) is masked (R-S5).
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "domain/account_movement.hpp"
#include "domain/card.hpp"
#include "domain/client.hpp"
#include "domain/notification.hpp"
#include "services/ecards.hpp"
#include "services/qr_codes.hpp"
#include "services/records.hpp"
#include "services/registry.hpp"

namespace essc::http {

// Adds region_name / region_name_en and, when given, bank_name / bank_name_en beside
// the codes, so pages show 宁波市 and 宁波银行 rather than 330200 and NBCB; a code the
// tables do not know gets no name field.
void add_place_names(boost::json::object& o, std::string_view region_code,
                     std::string_view bank_code = {});

// `<side>_region_name` / `_en` beside `<side>_region` (insured, treatment: R-X1, R-X3).
void add_region_name(boost::json::object& o, std::string_view side, std::string_view region_code);

boost::json::object person_view(const services::PersonView& view);
boost::json::object card_view(const services::CardView& view);
boost::json::object client_view(const domain::Client& client);
boost::json::object movement_view(const domain::AccountMovement& movement);
boost::json::object benefit_view(const domain::Benefit& benefit);
// A binding as its channel sees it: masked card data and the service catalogue (R-U8).
boost::json::object binding_view(const services::BindingView& view);
boost::json::object notification_view(const domain::Notification& note);
// A page of the cardholder's records of one kind (R-U7), or a family member's (R-F3).
// An issued code; with `png`, its image too (UNAVAILABLE if rendering fails).
Result<boost::json::object> qr_code_view(const services::QrIssued& code, bool png);
boost::json::object records_view(std::string_view kind, const services::RecordPage& page);

}  // namespace essc::http
