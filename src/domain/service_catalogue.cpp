#include "domain/service_catalogue.hpp"

#include <array>

#include "domain/ecard.hpp"

namespace essc::domain {
namespace {

constexpr std::array<EcardService, 6> kServices{{
    {"identity", "身份凭证", kLevelIdentity},
    {"query", "自助查询", kLevelIdentity},
    {"medical_settlement", "医保结算", kLevelIdentity},
    {"benefits", "待遇领取查询", kLevelIdentity},
    {"contribution", "缴费", kLevelFinancial},
    {"bank_payment", "金融支付", kLevelFinancial},
}};

}  // namespace

std::span<const EcardService> service_catalogue() { return kServices; }

}  // namespace essc::domain
