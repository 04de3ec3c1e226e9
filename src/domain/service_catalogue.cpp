#include "domain/service_catalogue.hpp"

#include <array>

namespace essc::domain {
namespace {

constexpr std::array<EcardService, 6> kServices{{
    {"identity", "身份凭证", 1},
    {"query", "自助查询", 1},
    {"medical_settlement", "医保结算", 1},
    {"benefits", "待遇领取查询", 1},
    {"contribution", "缴费", 2},
    {"bank_payment", "金融支付", 2},
}};

}  // namespace

std::span<const EcardService> service_catalogue() { return kServices; }

}  // namespace essc::domain
