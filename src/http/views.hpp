// How records appear in answers. Operators see the data they entered; personal data a
// card answer carries for context (the holder's ID number) is masked (R-S5).
#pragma once

#include <boost/json/object.hpp>

#include "services/accounts.hpp"
#include "services/ecards.hpp"
#include "services/registry.hpp"

namespace essc::http {

boost::json::object person_view(const services::PersonView& view);
boost::json::object card_view(const services::CardView& view);
boost::json::object client_view(const store::ClientRecord& client);
boost::json::object movement_view(const store::AccountMovement& movement);
boost::json::object benefit_view(const store::BenefitRecord& benefit);
// A binding as its channel sees it: masked card data and the service catalogue (R-U8).
boost::json::object binding_view(const services::BindingView& view);
boost::json::object notification_view(const store::NotificationRecord& note);

}  // namespace essc::http
