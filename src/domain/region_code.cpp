#include "domain/region_code.hpp"

#include <algorithm>
#include <array>

namespace essc::domain {
namespace {

constexpr std::size_t kLength = 6;
// GB/T 2260 province-level prefixes: 11-15 North, 21-23 North-east, 31-37 East,
// 41-46 South-central, 50-54 South-west, 61-65 North-west, 71 Taiwan, 81 Hong Kong,
// 82 Macao.
constexpr std::array<int, 34> kProvinces{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                         35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                         53, 54, 61, 62, 63, 64, 65, 71, 81, 82};

bool is_region_code(std::string_view text) {
  if (text.size() != kLength) return false;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return false;
  }
  const int province = (text[0] - '0') * 10 + (text[1] - '0');
  return std::find(kProvinces.begin(), kProvinces.end(), province) != kProvinces.end();
}

struct Named {
  std::string_view code;
  RegionName name;
};

// Zhejiang's eleven prefecture-level cities (GB/T 2260).
constexpr std::array<Named, 11> kZhejiangCities{{
    {"330100", {"杭州市", "Hangzhou"}},
    {"330200", {"宁波市", "Ningbo"}},
    {"330300", {"温州市", "Wenzhou"}},
    {"330400", {"嘉兴市", "Jiaxing"}},
    {"330500", {"湖州市", "Huzhou"}},
    {"330600", {"绍兴市", "Shaoxing"}},
    {"330700", {"金华市", "Jinhua"}},
    {"330800", {"衢州市", "Quzhou"}},
    {"330900", {"舟山市", "Zhoushan"}},
    {"331000", {"台州市", "Taizhou"}},
    {"331100", {"丽水市", "Lishui"}},
}};

// Province-level names in the order of kProvinces.
constexpr std::array<RegionName, 34> kProvinceNames{{
    {"北京市", "Beijing"},
    {"天津市", "Tianjin"},
    {"河北省", "Hebei"},
    {"山西省", "Shanxi"},
    {"内蒙古自治区", "Inner Mongolia"},
    {"辽宁省", "Liaoning"},
    {"吉林省", "Jilin"},
    {"黑龙江省", "Heilongjiang"},
    {"上海市", "Shanghai"},
    {"江苏省", "Jiangsu"},
    {"浙江省", "Zhejiang"},
    {"安徽省", "Anhui"},
    {"福建省", "Fujian"},
    {"江西省", "Jiangxi"},
    {"山东省", "Shandong"},
    {"河南省", "Henan"},
    {"湖北省", "Hubei"},
    {"湖南省", "Hunan"},
    {"广东省", "Guangdong"},
    {"广西壮族自治区", "Guangxi"},
    {"海南省", "Hainan"},
    {"重庆市", "Chongqing"},
    {"四川省", "Sichuan"},
    {"贵州省", "Guizhou"},
    {"云南省", "Yunnan"},
    {"西藏自治区", "Tibet"},
    {"陕西省", "Shaanxi"},
    {"甘肃省", "Gansu"},
    {"青海省", "Qinghai"},
    {"宁夏回族自治区", "Ningxia"},
    {"新疆维吾尔自治区", "Xinjiang"},
    {"台湾省", "Taiwan"},
    {"香港特别行政区", "Hong Kong"},
    {"澳门特别行政区", "Macao"},
}};

}  // namespace

std::optional<RegionName> region_name(std::string_view code) {
  if (!is_region_code(code)) return std::nullopt;
  for (const auto& city : kZhejiangCities) {
    if (city.code == code) return city.name;
  }
  const int province = (code[0] - '0') * 10 + (code[1] - '0');
  const auto at = std::find(kProvinces.begin(), kProvinces.end(), province);
  return kProvinceNames[static_cast<std::size_t>(at - kProvinces.begin())];
}

Result<std::string> parse_region_code(std::string_view text, std::string_view field_name) {
  if (!is_region_code(text)) return Error::invalid_field(std::string(field_name));
  return std::string(text);
}

}  // namespace essc::domain
