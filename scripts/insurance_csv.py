#!/usr/bin/env python3
"""An insurance-records CSV (`essc import insurance-records`) for the persons `essc seed`
made: PERSONS persons x MONTHS months (from 2020-01) x the five insurances, in the order
an HR system's monthly feed lists them. --bad-line N replaces line N (the header is line
1) with a row whose period is no month, for the test that one bad row imports nothing.

    scripts/insurance_csv.py PERSONS MONTHS [--bad-line N] > records.csv
"""
import argparse
import datetime
import sys

INSURANCES = [("pension", 16, 8), ("medical", 8, 2), ("unemployment", 1, 1),
              ("work_injury", 1, 0), ("maternity", 1, 0)]
EMPLOYERS = ["宁波港集团有限公司", "宁波银行股份有限公司", "海曙区人民医院"]


def seeded_id_number(i):
    """The ID number `essc seed` gives person i (src/cli/seed.cpp seeded_id_number)."""
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=i // 1000)
    first17 = "330203" + birth.strftime("%Y%m%d") + "%03d" % (i % 1000)
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights))
    return first17 + "10X98765432"[total % 11]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("persons", type=int)
    parser.add_argument("months", type=int)
    parser.add_argument("--bad-line", type=int, default=0)
    args = parser.parse_args()
    out = sys.stdout
    out.write("id_number,insurance,period,base_fen,employer_fen,personal_fen,employer_name,region_code\n")
    line = 1
    for i in range(args.persons):
        id_number = seeded_id_number(i)
        base = 500000 + (i % 50) * 10000
        employer = EMPLOYERS[i % len(EMPLOYERS)]
        for m in range(args.months):
            period = "%04d-%02d" % (2020 + m // 12, m % 12 + 1)
            for insurance, employer_pct, personal_pct in INSURANCES:
                line += 1
                if line == args.bad_line:
                    period_out = period[:5] + "13"
                else:
                    period_out = period
                out.write("%s,%s,%s,%d,%d,%d,%s,330200\n" % (
                    id_number, insurance, period_out, base, base * employer_pct // 100,
                    base * personal_pct // 100, employer))


if __name__ == "__main__":
    main()
