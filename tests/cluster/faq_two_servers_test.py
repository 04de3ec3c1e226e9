#!/usr/bin/env python3
"""Every situation of the FAQ (../shared/seed, numbered as rules in SPEC.md) end to end
against two `essc serve --sandbox` on one PostgreSQL database, each consecutive request
to the other server, as a balancer in front of them may send it: registration and the
card's life cycle, why an application fails, level 1 by face and level 2 by SMS (the
code read back through the other server: the sandbox inbox is the data folder's),
issuance in further channels, passwords (weak, change, five wrong, reset), sessions, QR
identity checks, settlement and refund, contributions, records, where the e-card is and
revoking a channel, loss reports by the cardholder and by the counter, locking,
replacement, cancellation, the lost card never reported, family members and settlement
in another region with its filing and clearing. Each step checks the status, the error
code of API.md and the fields that matter; one line per situation, then the total.

Usage: faq_two_servers_test.py ESSC_BINARY POSTGRES_URL   (a URL to an existing
database; the test makes a database of its own there and drops it)
"""

import base64
import datetime
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "crash"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
sys.path.insert(0, os.path.dirname(__file__))
from audit_log_check import store_in_signed_checkpoint  # noqa: E402
from crash_test import id_number  # noqa: E402
from psql_store import PsqlStore  # noqa: E402
from two_servers import Alternating, TwoServers  # noqa: E402

OPERATOR_PASSWORD = "faq-two-servers-2026"
HR_PIN = "975310"
PASSWORD = "258147"
NINGBO, SHANGHAI, SHENZHEN = "330200", "310100", "440300"
FACE = base64.b64encode(b"face").decode()


def image(text):
    return base64.b64encode(text.encode()).decode()


def luhn(first18):
    """A bank account number: 18 digits and their Luhn check digit."""
    total = 0
    for i, d in enumerate(reversed(first18)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return first18 + str((10 - total % 10) % 10)


def cst_today():
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()


class Failed(Exception):
    """A step whose answer the rest of its situation depends on was wrong."""


class Faq:
    """Checks grouped by FAQ situation; a situation stops at its first wrong step."""

    def __init__(self, api):
        self.api = api
        self.checks = 0
        self.failures = []
        self.situations = 0
        self.current = ""

    def check(self, ok, what):
        self.checks += 1
        if not ok:
            self.failures.append(f"{self.current}: {what}")
        return ok

    def expect(self, answer, http, code=None, what="", **fields):
        """The answer has status `http` (and error `code`); each of `fields` (error
        extras for an error) has its value, or satisfies it when it is a function. The body."""
        got, body = answer
        error = body.get("error", {}) if isinstance(body, dict) else {}
        if not self.check(got == http and (code is None or error.get("code") == code),
                          f"{what}: expected {http} {code or ''}, got {got} {str(body)[:300]}"):
            raise Failed
        where = error if code else body
        for name, want in fields.items():
            value = where.get(name) if isinstance(where, dict) else None
            ok = want(value) if callable(want) else value == want
            self.check(ok, f"{what}: {name} = {value!r}, expected {want!r}")
        return body

    def situation(self, name, run):
        self.situations += 1
        self.current = name
        before_checks, before_failures = self.checks, len(self.failures)
        try:
            run()
        except Failed:
            pass
        except Exception as e:  # noqa: BLE001 - reported as this situation's failure
            self.failures.append(f"{name}: {type(e).__name__}: {e}")
        failed = len(self.failures) - before_failures
        print(f"{'ok  ' if not failed else 'FAIL'} {name} ({self.checks - before_checks} checks"
              f"{f', {failed} failed' if failed else ''})", flush=True)


def main():
    essc, base_url = sys.argv[1], sys.argv[2]
    started = time.monotonic()
    with TwoServers(essc, base_url, "faq_two_servers") as cluster:
        for username, role, *bank in (("clerk", "hr_clerk"), ("teller", "bank_teller", "NBCB"), ("admin", "admin")):
            cluster.cli("operator", "add", "--username", username, "--role", role, "--password", OPERATOR_PASSWORD,
                        *(["--bank-code", bank[0]] if bank else []))

        def institution(name, kind, region):
            return cluster.client("--kind", "institution", "--name", name, "--institution-type", kind,
                                  "--region-code", region)
        clients = {
            "gov": cluster.client("--kind", "channel", "--name", "宁波人社APP", "--channel-type", "gov"),
            "bank": cluster.client("--kind", "channel", "--name", "宁波银行APP", "--channel-type", "bank"),
            "wallet": cluster.client("--kind", "channel", "--name", "城市钱包", "--channel-type", "third_party"),
            "pharmacy": institution("海曙大药房", "pharmacy", NINGBO),
            "hall": institution("海曙社保服务大厅", "service_hall", NINGBO),
            "sh_pharmacy": institution("上海徐汇大药房", "pharmacy", SHANGHAI),
            "sh_hospital": institution("上海瑞金医院", "hospital", SHANGHAI),
        }
        # Shanghai's institutions settle under the cardholder's policy (R-X1); Shenzhen has none.
        policies = os.path.join(cluster.data, "policies")
        shutil.copy(os.path.join(policies, f"{NINGBO}.toml"), os.path.join(policies, f"{SHANGHAI}.toml"))
        accounts = {who: luhn(f"62220212345678{n:04d}") for n, who in enumerate(("张三", "吴十", "陈十二"))}
        subprocess.run([essc, "sandbox", "fund", "--data-dir", cluster.data, accounts["张三"], "100000000"],
                       env=cluster.env, check=True, capture_output=True)
        cluster.copy_store()
        servers = cluster.start()
        api = Alternating([s.port for s in servers])
        faq = Faq(api)
        run_situations(faq, api, clients, accounts)
        faq.situations += 1
        faq.current = "both servers answered"
        counts = list(api.ports_used.values())
        faq.check(min(counts) >= max(counts) - 1, f"requests per server: {counts}")
        print(f"{'ok  ' if min(counts) >= max(counts) - 1 else 'FAIL'} requests alternated: {counts} per server")
        faq.situations += 1
        faq.current = "R-S6 the audit log both servers wrote verifies"
        audit = subprocess.run([essc, "audit", "verify", "--data-dir", cluster.data], env=cluster.env,
                               capture_output=True, text=True)
        ok = faq.check(audit.returncode == 0, f"essc audit verify: {audit.returncode} {audit.stdout} {audit.stderr}")
        print(f"{'ok  ' if ok else 'FAIL'} {faq.current}: {audit.stdout.strip()}")
        faq.situations += 1
        faq.current = "R-S6 every acknowledged write is in a checkpoint either server signed"
        for port in (s.port for s in servers):
            outside = store_in_signed_checkpoint(port, PsqlStore(cluster.url))
            for line in outside:
                faq.check(False, line)
            print(f"{'FAIL' if outside else 'ok  '} {faq.current} (read from :{port})")
    for f in faq.failures:
        print("FAIL", f)
    print(f"{faq.situations} situations, {faq.checks - len(faq.failures)} checks passed, {len(faq.failures)} failed, "
          f"{time.monotonic() - started:.1f} s")
    return 1 if faq.failures else 0


def run_situations(faq, api, clients, accounts):  # noqa: C901 - one FAQ walk, situation by situation
    expect, situation = faq.expect, faq.situation
    gov, bank, wallet = clients["gov"], clients["bank"], clients["wallet"]
    pharmacy, hall = clients["pharmacy"], clients["hall"]

    def log_in(username):
        return expect(api.public("POST", "/v1/operator/sessions",
                                 {"username": username, "password": OPERATOR_PASSWORD}), 200, what=f"{username} logs in",
                      role=lambda r: r in ("hr_clerk", "bank_teller", "admin"))["token"]
    clerk, teller, admin = log_in("clerk"), log_in("teller"), log_in("admin")
    state = {"password": PASSWORD}
    people = {}

    def op(token, method, target, body=None):
        return api.operator(token, method, target, body)

    def register(name, first17, region=NINGBO, photo=True, card_until="active", financial=None):
        """A person whose card went as far as `card_until` (None: no card)."""
        person = id_number(first17)
        expect(op(clerk, "POST", "/v1/persons", {"name": name, "id_number": person, "region_code": region,
                                                 "photo_on_file": {"police": photo, "cardholder": photo}}),
               201, what=f"register {name}")
        people[name] = {"id": person}
        if card_until is None:
            return people[name]
        card = expect(op(clerk, "POST", "/v1/cards", {"id_number": person, "bank_code": "NBCB"}), 201,
                      what=f"card for {name}", status="pending_pickup")["card_no"]
        people[name]["card"] = card
        for action, after, body in (("collect", "inactive", None), ("activate", "active", {"hr_pin": HR_PIN})):
            if card_until == "pending_pickup" or (card_until == "inactive" and action == "activate"):
                break
            expect(op(clerk, "POST", f"/v1/cards/{card}/{action}", body), 200, what=f"{action} {name}", status=after)
        if financial:
            expect(op(teller, "POST", f"/v1/cards/{card}/financial/activate",
                      {"bank_account_no": financial[0], "reserved_phone": financial[1], "financial_pin": "864200"}),
                   200, what=f"financial function of {name}", financial_active=True)
        if card_until == "active":
            expect(op(clerk, "POST", "/v1/accounts/medical/credits",
                      {"id_number": person, "amount_fen": 100000, "memo": "个人账户划入"}), 200, what=f"credit {name}")
        return people[name]

    def start(channel, body, http=201, code=None, what="start a verification", **fields):
        answer = expect(api.signed(channel, "POST", "/v1/verifications", body), http, code, what=what, **fields)
        return answer.get("verification_id") if http == 201 else answer

    def issue_body(name):
        return {"purpose": "issue", "name": name, "id_number": people[name]["id"]}

    def face(channel, vid, text=None, http=200, code=None, what="face", **fields):
        return expect(api.signed(channel, "POST", f"/v1/verifications/{vid}/face",
                                 {"image_base64": image(text) if text else FACE}), http, code, what=what, **fields)

    def sms_code(phone):
        """The newest code sent to `phone`, read through every server in turn (so through
        one that did not send it): the sandbox inbox is the data folder's."""
        inboxes = [expect(api.public("GET", f"/v1/sandbox/sms?phone={phone}"), 200, what="the sandbox inbox")["items"]
                   for _ in api.apis]
        if not faq.check(inboxes[0] and all(inbox == inboxes[0] for inbox in inboxes),
                         f"R-S3 the SMS to {phone} differs per server: {inboxes}"):
            raise Failed
        text = inboxes[0][0]["text"]
        return text[text.index("验证码为") + len("验证码为"):][:6]

    def by_sms(channel, vid, account, phone):
        sent = expect(api.signed(channel, "POST", f"/v1/verifications/{vid}/sms",
                                 {"bank_account_no": account, "phone": phone}), 200, what="R-E4 SMS sent", sent=True,
                      phone_masked=phone[:3] + "****" + phone[7:])
        faq.check(sent.get("resend_after") is not None, "R-S3 the answer says when a resend is allowed")
        expect(api.signed(channel, "POST", f"/v1/verifications/{vid}/sms/verify", {"code": "000000"}), 422,
               "OTP_INVALID", what="R-S3 a wrong code", tries_left=4)
        return expect(api.signed(channel, "POST", f"/v1/verifications/{vid}/sms/verify", {"code": sms_code(phone)}),
                      200, what="R-E4 the code read through the other server", verified=True, level=2)

    def issue(channel, vid, password, level, what="issue"):
        return expect(api.signed(channel, "POST", "/v1/ecards", {"verification_id": vid, "password": password}), 201,
                      what=what, level=level, status="usable")["binding_id"]

    def issue_by_face(channel, name, password, level=1):
        vid = start(channel, issue_body(name))
        face(channel, vid, level=1)
        return issue(channel, vid, password, level, what=f"issue {name} by face")

    def ecard_status(channel, binding):
        return expect(api.signed(channel, "GET", f"/v1/ecards/{binding}"), 200, what="the e-card")["status"]

    def session(channel, binding, password=None):
        return expect(api.signed(channel, "POST", f"/v1/ecards/{binding}/sessions",
                                 {"password": password or state["password"]}), 201, what="R-U1 open the e-card",
                      expires_at=lambda v: isinstance(v, str))["session_token"]

    def with_session(channel, binding, token, method, target, body=None):
        return api.signed(channel, method, target, body, {"X-Essc-Session": token})

    def qr(channel, binding, token, purpose="payment", member=None):
        target = f"/v1/ecards/{binding}" + (f"/family/{member}" if member else "") + "/qrcodes"
        return expect(with_session(channel, binding, token, "POST", target, {"purpose": purpose, "png": False}), 201,
                      what=f"R-U2 a {purpose} code", expires_at=lambda v: isinstance(v, str))["token"]

    def bill(code, order, visit="pharmacy", **extra):
        return {"qr_token": code, "order_id": order, "visit": visit,
                "items": [{"code": "A1", "name": "阿莫西林", "category": "A", "quantity": 2, "unit_price_fen": 1500},
                          {"code": "C1", "name": "保健品", "category": "C", "quantity": 1, "unit_price_fen": 800}],
                **extra}

    def settle(institution, code, order, http=201, err=None, what="R-U4 settle", **extra):
        return expect(api.signed(institution, "POST", "/v1/settlements", bill(code, order, **extra)), http, err,
                      what=what)

    def split_adds_up(s):
        return faq.check(s["fund_fen"] + s["account_fen"] + s["self_pay_fen"] == s["total_fen"] == 3800,
                         f"R-U4 the split adds up to the bill: {s}")

    def balance(channel, binding):
        return expect(api.signed(channel, "GET", f"/v1/ecards/{binding}/account"), 200,
                      what="R-U7 the account")["medical_account_balance_fen"]

    zhang = {}

    def registration_and_card_life_cycle():
        account, phone = accounts["张三"], "13800000001"
        person = id_number("33020319900307001")
        wrong = person[:17] + ("1" if person[17] != "1" else "2")
        expect(op(clerk, "POST", "/v1/persons", {"name": "张三", "id_number": wrong, "region_code": NINGBO,
                                                 "photo_on_file": {"police": True, "cardholder": True}}),
               400, "INVALID_ID_NUMBER", what="R-P1 a wrong check character")
        register("张三", "33020319900307001", card_until=None)
        seen = expect(op(clerk, "GET", f"/v1/persons/{person}"), 200, what="R-P2 the person through the other server",
                      name="张三", region_code=NINGBO)
        faq.check("card" not in seen or seen["card"] is None, f"a new person has no card: {seen}")
        card = expect(op(clerk, "POST", "/v1/cards", {"id_number": person, "bank_code": "NBCB"}), 201,
                      what="R-C1 a new card", status="pending_pickup",
                      id_number_masked=person[:3] + "*" * 11 + person[14:])["card_no"]
        faq.check(len(card) == 9, f"R-C2 a 9-character card number: {card}")
        people["张三"]["card"] = card
        expect(op(clerk, "POST", "/v1/cards", {"id_number": person, "bank_code": "NBCB"}), 409, "CONFLICT",
               what="R-C1 one live card")
        expect(op(clerk, "POST", f"/v1/cards/{card}/activate", {"hr_pin": HR_PIN}), 409, "INVALID_STATE_TRANSITION",
               what="R-C1 activate before collect")
        expect(op(clerk, "POST", f"/v1/cards/{card}/collect"), 200, what="R-C1 collect", status="inactive")
        expect(op(clerk, "POST", f"/v1/cards/{card}/activate", {"hr_pin": HR_PIN}), 200, what="R-C1 activate",
               status="active")
        expect(op(clerk, "GET", f"/v1/cards/{card}"), 200, what="R-C1 the card through the other server",
               status="active", financial_active=False)
        expect(op(clerk, "POST", f"/v1/cards/{card}/financial/activate",
                  {"bank_account_no": account, "reserved_phone": phone, "financial_pin": "864200"}), 403, "FORBIDDEN",
               what="R-C3 only the bank's teller activates the financial function")
        expect(op(teller, "POST", f"/v1/cards/{card}/financial/activate",
                  {"bank_account_no": account, "reserved_phone": phone, "financial_pin": "864200"}), 200,
               what="R-C3 financial function at the bank", financial_active=True)
        expect(op(clerk, "POST", "/v1/accounts/medical/credits",
                  {"id_number": person, "amount_fen": 100000, "memo": "个人账户划入"}), 200, what="personal-account credit")

    def application_failures():
        register("李四", "33020319850512002", card_until="pending_pickup")
        register("王五", "33020319791120003", card_until="inactive")
        for name, first17, action in (("赵六", "33020319920214004", "report-loss"), ("钱七", "33020319700808005", "lock"),
                                      ("孙八", "33020319660606006", "cancel")):
            register(name, first17)
            expect(op(clerk, "POST", f"/v1/cards/{people[name]['card']}/{action}"), 200, what=f"{action} {name}")
        register("马一", "33020319770707001", card_until=None)
        for name, code in (("李四", "CARD_NOT_COLLECTED"), ("王五", "CARD_NOT_ACTIVATED"), ("赵六", "CARD_REPORTED_LOST"),
                           ("钱七", "CARD_LOCKED"), ("孙八", "CARD_CANCELLED"), ("马一", "CARD_NOT_FOUND")):
            start(gov, issue_body(name), 422, code, what=f"R-E5 {name}", hotline="12333",
                  message=lambda m: bool(m), message_en=lambda m: bool(m))
        start(gov, {"purpose": "issue", "name": "张四", "id_number": people["张三"]["id"]}, 422, "NAME_ID_MISMATCH",
              what="R-E5 name and ID number differ", hotline="12333")

    def level_one_by_face():
        vid = start(gov, issue_body("张三"), what="R-E3 start", methods=lambda m: m and "face" in m and "sms" in m)
        face(gov, vid, "sandbox:liveness_fail", 422, "FACE_LIVENESS_FAILED", what="R-E6 liveness fails",
             fallback="sms")
        face(gov, vid, what="R-E3 real person", verified=True, level=1, password_set=False)
        person = people["张三"]["id"]
        for weak, why in (("123456", "a run"), ("888888", "one digit"), ("900307", "the birth date"),
                          (person[-6:], "the ID number's end"), (HR_PIN, "the card's HR password")):
            expect(api.signed(gov, "POST", "/v1/ecards", {"verification_id": vid, "password": weak}), 422,
                   "WEAK_PASSWORD", what=f"R-W2 {why} refused", reason=lambda r: bool(r))
        answer = expect(api.signed(gov, "POST", "/v1/ecards", {"verification_id": vid, "password": PASSWORD}), 201,
                        what="R-E3 level 1 by face", level=1, status="usable")
        faq.check(person not in json.dumps(answer), "R-S5 the issuance answer masks the ID number")
        zhang["gov"] = answer["binding_id"]
        expect(api.signed(gov, "POST", "/v1/ecards", {"verification_id": vid, "password": PASSWORD}), 422,
               "VERIFICATION_EXPIRED",
               what="R-S3 a verification is single use")

    def level_two_by_sms():
        vid = start(gov, {"purpose": "upgrade", "binding_id": zhang["gov"]}, what="R-E4 upgrade")
        by_sms(gov, vid, accounts["张三"], "13800000001")
        expect(api.signed(gov, "POST", f"/v1/ecards/{zhang['gov']}/upgrade", {"verification_id": vid}), 200,
               what="R-E4 level 2", level=2)
        card = expect(api.signed(gov, "GET", f"/v1/ecards/{zhang['gov']}"), 200, what="R-E4 level 2 seen", level=2)
        available = {s["code"]: s["available"] for s in card.get("services", [])}
        faq.check(available.get("contribution") is True, f"R-U8 level 2 opens contribution: {available}")

    def face_fails_then_sms():
        account, phone = accounts["吴十"], "13800000008"
        register("吴十", "33020319951231008", photo=False, financial=(account, phone))
        vid = start(gov, issue_body("吴十"))
        face(gov, vid, None, 422, "FACE_NO_REFERENCE_PHOTO", what="R-E6 no reference photo", fallback="sms")
        face(gov, vid, "sandbox:error", 503, "FACE_SERVICE_UNAVAILABLE", what="R-E6 face service down", fallback="sms")
        by_sms(gov, vid, account, phone)
        people["吴十"]["gov"] = issue(gov, vid, PASSWORD, 2, what="R-E6 the SMS path issues level 2")

    def wrong_reserved_phone_and_no_financial_function():
        account, reserved, own = accounts["陈十二"], "13800000009", "13800000010"
        register("陈十二", "33020319820707010", financial=(account, reserved))
        vid = start(gov, issue_body("陈十二"))
        expect(api.signed(gov, "POST", f"/v1/verifications/{vid}/sms", {"bank_account_no": account, "phone": own}),
               422, "FOUR_FACTOR_MISMATCH", what="R-E4 his own phone is not the reserved one")
        card = people["陈十二"]["card"]
        expect(op(clerk, "PUT", f"/v1/cards/{card}/financial/reserved-phone", {"reserved_phone": own}), 403, "FORBIDDEN",
               what="R-C3 a clerk cannot change the reserved phone")
        expect(op(teller, "PUT", f"/v1/cards/{card}/financial/reserved-phone", {"reserved_phone": own}), 200,
               what="R-C3 the bank's teller changes it")
        by_sms(gov, vid, account, own)
        binding = issue(gov, vid, PASSWORD, 2, what="R-E4 level 2 after the change")
        # Level 1 only: no financial function, so no upgrade and no contribution.
        register("郑十一", "33020320000229009")
        zheng = issue_by_face(gov, "郑十一", PASSWORD)
        start(gov, {"purpose": "upgrade", "binding_id": zheng}, 422, "FINANCIAL_NOT_ACTIVATED",
              what="R-E4 upgrade without the financial function")
        expect(api.signed(gov, "POST", f"/v1/ecards/{zheng}/contributions",
                          {"password": PASSWORD, "insurance": "resident_medical", "period": "2027", "amount_fen": 38000}),
               422, "LEVEL_REQUIRED", what="R-U8 contribution needs level 2", level_required=2)
        faq.check(binding != zheng, "bindings have their own ids")

    def second_channel():
        vid = start(bank, issue_body("张三"))
        face(bank, vid, what="R-E7 verified again in a second channel", password_set=True)
        expect(api.signed(bank, "POST", "/v1/ecards", {"verification_id": vid, "password": "147036"}), 422,
               "PASSWORD_INCORRECT", what="R-E7 the existing password, not a new one", tries_left=4)
        zhang["bank"] = issue(bank, vid, PASSWORD, 1, what="R-E2 level 1 in the bank's app, its own level")
        faq.check(zhang["bank"] != zhang["gov"], "R-E2 each channel's binding has its own id")
        expect(api.signed(gov, "GET", f"/v1/ecards/{zhang['bank']}"), 404, "NOT_FOUND",
               what="R-S2 another channel's binding")
        expect(api.signed(gov, "GET", f"/v1/ecards/{zhang['gov']}"), 200, what="the first channel keeps level 2",
               level=2)

    def password_change():
        target = f"/v1/ecards/{zhang['gov']}/password/change"
        expect(api.signed(gov, "POST", target, {"old_password": PASSWORD, "new_password": "654321"}), 422,
               "WEAK_PASSWORD", what="R-W2 a weak new password")
        expect(api.signed(gov, "POST", target, {"old_password": "111111", "new_password": "147036"}), 422,
               "PASSWORD_INCORRECT", what="R-W3 a wrong old password")
        expect(api.signed(gov, "POST", target, {"old_password": PASSWORD, "new_password": "147036"}), 204,
               what="R-W3 change in the gov app")
        state["password"] = "147036"
        expect(api.signed(bank, "POST", f"/v1/ecards/{zhang['bank']}/sessions", {"password": PASSWORD}), 422,
               "PASSWORD_INCORRECT", what="R-W3 the old one fails in the bank's app")
        session(bank, zhang["bank"])

    def wrong_passwords_lock_then_reset():
        target = f"/v1/ecards/{zhang['bank']}/sessions"
        for left in (4, 3, 2, 1):
            expect(api.signed(bank, "POST", target, {"password": "369258"}), 422, "PASSWORD_INCORRECT",
                   what=f"R-W4 wrong password, {left} left", tries_left=left)
        expect(api.signed(bank, "POST", target, {"password": "369258"}), 422, "PASSWORD_LOCKED",
               what="R-W4 the fifth locks", unlock_at=lambda v: isinstance(v, str), tries_left=0)
        expect(api.signed(gov, "POST", f"/v1/ecards/{zhang['gov']}/sessions", {"password": state["password"]}), 422,
               "PASSWORD_LOCKED", what="R-W4 locked in every channel, even with the right one")
        vid = start(gov, {"purpose": "reset_password", "binding_id": zhang["gov"]}, what="R-W3 reset verification")
        face(gov, vid, what="R-W3 reset by face")
        expect(api.signed(gov, "POST", f"/v1/ecards/{zhang['gov']}/password/reset",
                          {"verification_id": vid, "new_password": "111111"}), 422, "WEAK_PASSWORD",
               what="R-W2 a weak reset")
        expect(api.signed(gov, "POST", f"/v1/ecards/{zhang['gov']}/password/reset",
                          {"verification_id": vid, "new_password": "369147"}), 204, what="R-W3 reset")
        state["password"] = "369147"
        expect(api.signed(bank, "POST", target, {"password": "147036"}), 422, "PASSWORD_INCORRECT",
               what="R-W3 the changed one no longer opens it", tries_left=4)
        session(bank, zhang["bank"])

    def identity_check():
        token = session(gov, zhang["gov"])
        zhang["session"] = token
        expect(api.signed(gov, "POST", f"/v1/ecards/{zhang['gov']}/qrcodes", {"purpose": "identity"}), 401,
               "SESSION_INVALID", what="R-U1 a code needs the session")
        expect(with_session(bank, zhang["bank"], token, "POST", f"/v1/ecards/{zhang['bank']}/qrcodes",
                            {"purpose": "identity"}), 401, "SESSION_INVALID",
               what="R-U1 the session is this channel's binding's")
        code = qr(gov, zhang["gov"], token, "identity")
        expect(api.signed(hall, "POST", "/v1/identity/verify", {"qr_token": code}), 200, what="R-U3 identity check",
               name_masked="*三", card_status="active", level=2, region_code=NINGBO,
               id_number_masked=lambda v: v and "*" in v)
        expect(api.signed(hall, "POST", "/v1/identity/verify", {"qr_token": code}), 422, "QR_USED",
               what="R-U2 single use, through the other server")
        expect(api.signed(hall, "POST", "/v1/identity/verify", {"qr_token": code[:-4] + "AAAA"}), 422, "QR_INVALID",
               what="R-U2 a forged code")
        expect(api.signed(pharmacy, "POST", "/v1/settlements", bill(qr(gov, zhang["gov"], token, "identity"), "id-1")),
               422, "QR_PURPOSE_MISMATCH", what="R-U2 an identity code does not pay")
        masked = expect(with_session(gov, zhang["gov"], token, "GET", f"/v1/ecards/{zhang['gov']}/card-face"), 200,
                        what="R-U3 the card face")
        shown = expect(with_session(gov, zhang["gov"], token, "GET", f"/v1/ecards/{zhang['gov']}/card-face?reveal=true"),
                       200, what="R-U3 the eye")
        person = people["张三"]["id"]
        faq.check(person not in json.dumps(masked) and person in json.dumps(shown),
                  f"R-U3 masked unless revealed: {masked} / {shown}")

    def settlement_and_refund():
        token = zhang["session"]
        before = balance(gov, zhang["gov"])
        code = qr(gov, zhang["gov"], token)
        expect(api.signed(hall, "POST", "/v1/settlements", bill(code, "hall-1")), 403, "FORBIDDEN",
               what="R-S2 a service hall does not settle")
        s = settle(pharmacy, code, "faq-1")
        split_adds_up(s)
        faq.check(s["account_balance_after_fen"] == before - s["account_fen"] and s["self_pay_method"] == "cash",
                  f"R-U4 the account pays its part: {s}")
        again = settle(pharmacy, code, "faq-1", 200, what="R-U4 the same order through the other server")
        faq.check(again["settlement_id"] == s["settlement_id"], "R-U4 the same order is one settlement")
        other = bill(code, "faq-1")
        other["items"][0]["quantity"] = 3
        expect(api.signed(pharmacy, "POST", "/v1/settlements", other), 409, "IDEMPOTENCY_MISMATCH",
               what="R-U4 the same order with another bill")
        expect(api.signed(pharmacy, "GET", f"/v1/settlements/{s['settlement_id']}"), 200, what="R-U4 the settlement",
               settlement_id=s["settlement_id"], total_fen=3800)
        expect(api.signed(pharmacy, "POST", f"/v1/settlements/{s['settlement_id']}/refund", {"reason": "退药"}), 200,
               what="R-U4 refund")
        expect(api.signed(pharmacy, "POST", f"/v1/settlements/{s['settlement_id']}/refund", {"reason": "退药"}), 409,
               "ALREADY_REFUNDED", what="R-U4 refunded once")
        faq.check(balance(gov, zhang["gov"]) == before, "R-U4 the refund restores the account exactly")
        paid = settle(pharmacy, qr(gov, zhang["gov"], token), "faq-2", self_pay_from_bank=True)
        faq.check(paid["self_pay_method"] == "bank" and paid["self_pay_fen"] > 0,
                  f"R-U5 level 2 pays the self-pay part from the bank: {paid}")
        day = expect(api.signed(pharmacy, "GET", f"/v1/settlements?date={cst_today()}"), 200,
                     what="R-U4 the day's reconciliation")
        faq.check(len(day["items"]) == 2 and day["totals"].get("refunded_count") == 1, f"R-U4 reconciliation: {day}")
        zhang["settled"] = paid

    def contribution():
        target = f"/v1/ecards/{zhang['gov']}/contributions"
        yearly = {"insurance": "resident_medical", "period": "2027", "amount_fen": 38000}
        expect(api.signed(gov, "POST", target, {"password": "147036", **yearly}), 422, "PASSWORD_INCORRECT",
               what="R-U5 with the password")
        paid = expect(api.signed(gov, "POST", target, {"password": state["password"], **yearly}), 201,
                      what="R-U5 contribution at level 2", amount_fen=38000, insurance="resident_medical")
        zhang["contribution"] = paid.get("contribution_id")
        faq.check(str(paid.get("contribution_id", "")).startswith("ct_"), f"R-U5 a serial number: {paid}")
        expect(api.signed(bank, "POST", f"/v1/ecards/{zhang['bank']}/contributions",
                          {"password": state["password"], **yearly}), 422, "LEVEL_REQUIRED",
               what="R-U8 the level-1 binding may not pay", level_required=2)

    def records():
        base = f"/v1/ecards/{zhang['gov']}/records"
        settlements = expect(api.signed(gov, "GET", f"{base}?kind=settlements"), 200, what="R-U7 settlements")["items"]
        faq.check(len(settlements) == 2 and sum(s.get("status") == "refunded" for s in settlements) == 1,
                  f"R-U7 both settlements, one refunded: {settlements}")
        contributions = expect(api.signed(gov, "GET", f"{base}?kind=contributions"), 200,
                               what="R-U7 contributions")["items"]
        faq.check([c.get("contribution_id") for c in contributions] == [zhang.get("contribution")],
                  f"R-U7 the contribution: {contributions}")
        movements = expect(api.signed(gov, "GET", f"{base}?kind=account"), 200, what="R-U7 account")["items"]
        faq.check(len(movements) >= 3, f"R-U7 credit, payments and the refund: {movements}")
        auth = expect(api.signed(bank, "GET", f"/v1/ecards/{zhang['bank']}/records?kind=auth"), 200,
                      what="R-U7 authentication history")["items"]
        faq.check(len(auth) >= 5, f"R-U7 the wrong passwords are in the history: {len(auth)}")
        expect(api.signed(gov, "GET", f"{base}?kind=benefits"), 200, what="R-U6 benefits")
        expect(api.signed(gov, "GET", base), 400, "INVALID_REQUEST", what="R-U7 a kind is needed")
        expect(api.signed(gov, "GET", f"/v1/ecards/{zhang['gov']}/notifications"), 200, what="R-L6 the inbox",
               items=lambda items: len(items) >= 2)

    def where_my_ecard_is():
        zhang["wallet"] = issue_by_face(wallet, "张三", state["password"])
        token = zhang["session"]
        expect(api.signed(gov, "GET", f"/v1/ecards/{zhang['gov']}/channels"), 401, "SESSION_INVALID",
               what="R-E9 with the session only")
        listed = expect(with_session(gov, zhang["gov"], token, "GET", f"/v1/ecards/{zhang['gov']}/channels"), 200,
                        what="R-E9 every channel")
        items = listed["items"]
        faq.check(sorted(i["channel_name"] for i in items) == sorted(["宁波人社APP", "宁波银行APP", "城市钱包"]),
                  f"R-E9 names: {items}")
        faq.check([i["channel_name"] for i in items if i["this_channel"]] == ["宁波人社APP"], "R-E9 this channel")
        faq.check(all(k in i for i in items for k in ("channel_type", "level", "status", "since", "last_used_at")),
                  f"R-E9 type, level, status, since, last use: {items}")
        faq.check(zhang["wallet"] not in json.dumps(listed) and zhang["bank"] not in json.dumps(listed),
                  "R-E9 no other channel's binding id")
        revoke = f"/v1/ecards/{zhang['gov']}/channels/{wallet['id']}/revoke"
        expect(with_session(gov, zhang["gov"], token, "POST", revoke, {"password": "147036"}), 422,
               "PASSWORD_INCORRECT", what="R-E9 revoke needs the password")
        # R-K2: the password was reset today (R-W3 above), so an account change asks for a
        # fresh check first; passed, it clears the rule for the family situation too.
        refused = expect(with_session(gov, zhang["gov"], token, "POST", revoke, {"password": state["password"]}),
                         422, "RISK_STEP_UP_REQUIRED", what="R-K2 a revocation soon after a reset steps up",
                         methods=["face", "sms"])
        face(gov, start(gov, {"purpose": "step_up", "binding_id": zhang["gov"], "risk_id": refused["error"]["risk_id"]},
                        what="R-K1 the step-up check"), what="R-K1 the step-up passed by face")
        faq.check(ecard_status(wallet, zhang["wallet"]) == "usable", "R-K2 nothing was revoked before the check")
        expect(with_session(gov, zhang["gov"], token, "POST", revoke, {"password": state["password"]}), 204,
               what="R-E9 revoke the wallet")
        faq.check(ecard_status(wallet, zhang["wallet"]) == "unlinked", "R-E9 the wallet's binding is unlinked")
        expect(with_session(gov, zhang["gov"], token, "POST", revoke, {"password": state["password"]}), 404, "NOT_FOUND",
               what="R-E9 nothing left to revoke")
        faq.check(ecard_status(bank, zhang["bank"]) == "usable", "R-E8 the other channels keep theirs")

    def loss_by_cardholder():
        expect(api.signed(gov, "POST", f"/v1/ecards/{zhang['gov']}/report-loss", {"password": "147036"}), 422,
               "PASSWORD_INCORRECT", what="R-L1 with the password")
        expect(api.signed(gov, "POST", f"/v1/ecards/{zhang['gov']}/report-loss", {"password": state["password"]}), 200,
               what="R-L1 the cardholder reports the loss", status="suspended")
        faq.check(ecard_status(bank, zhang["bank"]) == "suspended", "R-L1 suspended in the other channel")
        expect(op(clerk, "GET", f"/v1/cards/{people['张三']['card']}"), 200, what="R-L1 the card", status="lost")
        expect(with_session(gov, zhang["gov"], zhang["session"], "POST", f"/v1/ecards/{zhang['gov']}/qrcodes",
                            {"purpose": "payment"}), 422, "ECARD_SUSPENDED", what="R-E1 no code while lost")
        start(wallet, issue_body("张三"), 422, "CARD_REPORTED_LOST", what="R-E5 no issuance while lost")
        vid = start(bank, {"purpose": "cancel_loss", "binding_id": zhang["bank"]}, what="R-L2 cancel-loss verification")
        face(bank, vid, what="R-L2 by face")
        expect(api.signed(bank, "POST", f"/v1/ecards/{zhang['bank']}/cancel-loss", {"verification_id": vid}), 200,
               what="R-L2 cancel the loss in the bank's app", status="usable")
        faq.check(ecard_status(gov, zhang["gov"]) == "usable", "R-L2 usable again in every channel")
        expect(op(clerk, "GET", f"/v1/cards/{people['张三']['card']}"), 200, what="R-L2 the card", status="active")

    def loss_and_lock_by_counter():
        card = people["张三"]["card"]
        for action, card_after, ecard_after, rule in (("report-loss", "lost", "suspended", "R-L1"),
                                                      ("cancel-loss", "active", "usable", "R-L2"),
                                                      ("lock", "locked", "suspended", "R-L4"),
                                                      ("report-loss", "lost", "suspended", "R-C1 locked → lost"),
                                                      ("cancel-loss", "active", "usable", "R-L2")):
            expect(op(clerk, "POST", f"/v1/cards/{card}/{action}"), 200, what=f"{rule} counter {action}",
                   status=card_after)
            for channel, binding in ((gov, zhang["gov"]), (bank, zhang["bank"])):
                faq.check(ecard_status(channel, binding) == ecard_after,
                          f"{rule} after {action} the e-card is {ecard_after}")
        expect(op(clerk, "POST", f"/v1/cards/{card}/unlock"), 409, "INVALID_STATE_TRANSITION",
               what="R-C1 unlock an active card")
        expect(op(clerk, "POST", f"/v1/cards/{card}/lock"), 200, what="R-L4 lock", status="locked")
        expect(op(clerk, "POST", f"/v1/cards/{card}/unlock"), 200, what="R-L4 unlock", status="active")
        faq.check(ecard_status(gov, zhang["gov"]) == "usable", "R-L4 usable after unlock")

    def lost_never_reported():
        # The card is in a drawer somewhere, nobody reported it: nothing changes (R-L5).
        expect(op(clerk, "GET", f"/v1/cards/{people['张三']['card']}"), 200, what="R-L5 the card", status="active")
        token = session(gov, zhang["gov"])
        zhang["session"] = token
        s = settle(pharmacy, qr(gov, zhang["gov"], token), "faq-unreported", what="R-L5 it still pays")
        split_adds_up(s)

    def family():
        register("张小花", "33020320190601011")
        register("李秀英", "33020319580315012")
        token = zhang["session"]
        base = f"/v1/ecards/{zhang['gov']}/family"
        daughter = {"name": "张小花", "id_number": people["张小花"]["id"], "relation": "child"}
        mother = {"name": "李秀英", "id_number": people["李秀英"]["id"], "relation": "parent"}
        expect(api.signed(gov, "POST", base, daughter), 401, "SESSION_INVALID", what="R-F1 with the session")
        member = expect(with_session(gov, zhang["gov"], token, "POST", base, daughter), 201,
                        what="R-F2 under 16 added by the holder", name_masked="**花", status="active",
                        relation="child")["member_id"]
        expect(with_session(gov, zhang["gov"], token, "POST", base, daughter), 409, "CONFLICT",
               what="R-F1 already a member")
        expect(with_session(gov, zhang["gov"], token, "POST", base, mother), 422, "FAMILY_CONSENT_REQUIRED",
               what="R-F2 16 or over consents")
        vid = start(gov, {"purpose": "family_consent", "name": "李秀英", "id_number": people["李秀英"]["id"]},
                    what="R-F2 her own verification")
        face(gov, vid, what="R-F2 her face")
        expect(with_session(gov, zhang["gov"], token, "POST", base, {**mother, "verification_id": vid}), 201,
               what="R-F2 added with her consent", consented=True)
        items = expect(with_session(gov, zhang["gov"], token, "GET", base), 200, what="R-F1 the family")["items"]
        faq.check(len(items) == 2, f"R-F1 two members: {items}")
        code = qr(gov, zhang["gov"], token, member=member)
        s = settle(pharmacy, code, "faq-family")
        faq.check(s.get("cardholder", {}).get("name_masked") == "**花" and s["account_balance_after_fen"] ==
                  100000 - s["account_fen"], f"R-F3 her code settles on her account: {s}")
        own = expect(with_session(gov, zhang["gov"], token, "GET", f"/v1/ecards/{zhang['gov']}/records?kind=settlements"),
                     200, what="R-F3 the holder's records")["items"]
        hers = expect(with_session(gov, zhang["gov"], token, "GET", f"{base}/{member}/records?kind=settlements"), 200,
                      what="R-F3 her records")["items"]
        faq.check(len(hers) == 1 and all(r.get("settlement_id") != s["settlement_id"] for r in own),
                  f"R-F3 hers, not his: {hers}")
        # The mother, on her own e-card, sees her guardian and withdraws.
        li = issue_by_face(gov, "李秀英", "842693")
        li_token = session(gov, li, "842693")
        guardians = expect(with_session(gov, li, li_token, "GET", f"/v1/ecards/{li}/guardians"), 200,
                           what="R-F2 her guardians")["items"]
        faq.check(len(guardians) == 1 and guardians[0].get("name_masked") == "*三", f"R-F2 张三: {guardians}")
        expect(with_session(gov, li, li_token, "DELETE", f"/v1/ecards/{li}/guardians/{guardians[0]['guardian_id']}"),
               204, what="R-F2 she withdraws consent")
        expect(with_session(gov, zhang["gov"], token, "DELETE", f"{base}/{member}"), 204, what="R-F1 remove her")
        expect(with_session(gov, zhang["gov"], token, "DELETE", f"{base}/{member}"), 404, "NOT_FOUND",
               what="R-F1 removed once")
        items = expect(with_session(gov, zhang["gov"], token, "GET", base), 200, what="R-F1 the family")["items"]
        faq.check(items == [], f"R-F1 nobody left: {items}")
        inbox = expect(api.signed(gov, "GET", f"/v1/ecards/{li}/notifications"), 200, what="R-F4 her inbox")["items"]
        faq.check(any(n.get("type", "").startswith("family.") for n in inbox), f"R-F4 told: {inbox[:3]}")

    def cross_region():
        token = zhang["session"]
        sh = settle(clients["sh_pharmacy"], qr(gov, zhang["gov"], token), "sh-pharmacy-1",
                    what="R-X2 a pharmacy in Shanghai needs no filing")
        faq.check(sh.get("insured_region") == NINGBO and sh.get("treatment_region") == SHANGHAI,
                  f"R-X1 insured and treatment region: {sh}")
        expect(api.signed(clients["sh_hospital"], "POST", "/v1/settlements",
                          bill(qr(gov, zhang["gov"], token), "sh-hospital-1", visit="outpatient")), 422,
               "CROSS_REGION_FILING_REQUIRED", what="R-X2 outpatient in another province")
        today = cst_today()
        filings = f"/v1/persons/{people['张三']['id']}/filings"
        expect(op(clerk, "POST", filings, {"treatment_region": SHANGHAI, "from": str(today - datetime.timedelta(days=1)),
                                           "to": str(today + datetime.timedelta(days=90))}), 201,
               what="R-X2 the counter files", filing_id=lambda v: bool(v))
        mine = expect(with_session(gov, zhang["gov"], token, "GET", f"/v1/ecards/{zhang['gov']}/filings"), 200,
                      what="R-X2 the app lists it")["items"]
        faq.check([f["treatment_region"] for f in mine] == [SHANGHAI], f"R-X2 filing: {mine}")
        out = settle(clients["sh_hospital"], qr(gov, zhang["gov"], token), "sh-hospital-2", visit="outpatient",
                     what="R-X2 outpatient after the filing")
        faq.check(out.get("treatment_region") == SHANGHAI, f"R-X1 treatment region: {out}")
        register("深圳人", "44030319870505013", region=SHENZHEN)
        sz = issue_by_face(gov, "深圳人", PASSWORD)
        expect(api.signed(pharmacy, "POST", "/v1/settlements", bill(qr(gov, sz, session(gov, sz, PASSWORD)), "sz-1")),
               422, "REGION_NOT_COVERED", what="R-X1 a region without a policy")
        expect(op(clerk, "GET", f"/v1/clearing?date={today}"), 403, "FORBIDDEN", what="R-X3 clearing is the admin's")
        clearing = expect(op(admin, "GET", f"/v1/clearing?date={today}"), 200, what="R-X3 clearing")
        pair = [i for i in clearing["items"] if i["insured_region"] == NINGBO and i["treatment_region"] == SHANGHAI]
        faq.check(len(pair) == 1 and pair[0]["settlements"] == 2
                  and pair[0]["fund_fen"] + pair[0]["account_fen"] > 0, f"R-X3 Ningbo → Shanghai: {clearing}")

    def replacement():
        register("周九", "33020319880101007")
        first = issue_by_face(gov, "周九", PASSWORD)
        second = issue_by_face(bank, "周九", PASSWORD)
        old = people["周九"]["card"]
        new = expect(op(clerk, "POST", f"/v1/cards/{old}/replace"), 201, what="R-L3 replacement",
                     status="pending_pickup")["card_no"]
        faq.check(new != old, "R-L3 a new card number")
        expect(op(clerk, "GET", f"/v1/cards/{old}"), 200, what="R-L3 the old card", status="replaced")
        for channel, binding in ((gov, first), (bank, second)):
            faq.check(ecard_status(channel, binding) == "unlinked", "R-L3 every binding unlinked")
        expect(api.signed(gov, "POST", f"/v1/ecards/{first}/sessions", {"password": PASSWORD}), 422, "ECARD_UNLINKED",
               what="R-L3 the old e-card does not open")
        start(gov, issue_body("周九"), 422, "CARD_NOT_COLLECTED", what="R-L3 the new card is not collected yet")
        expect(op(clerk, "POST", f"/v1/cards/{new}/collect"), 200, what="R-L3 collect the new card", status="inactive")
        start(gov, issue_body("周九"), 422, "CARD_NOT_ACTIVATED", what="R-L3 nor activated")
        expect(op(clerk, "POST", f"/v1/cards/{new}/activate", {"hr_pin": HR_PIN}), 200, what="R-L3 activate it",
               status="active")
        vid = start(gov, issue_body("周九"))
        face(gov, vid, what="R-L3 verified again")
        again = issue(gov, vid, "842693", 1, what="R-L3 issued again on the new card")
        faq.check(again not in (first, second), "R-L3 a new binding")
        expect(op(clerk, "POST", f"/v1/cards/{old}/collect"), 409, "INVALID_STATE_TRANSITION",
               what="R-C1 a replaced card is terminal")

    def cancellation():
        register("冯十三", "33020319750303014")
        binding = issue_by_face(gov, "冯十三", PASSWORD)
        card = people["冯十三"]["card"]
        expect(op(clerk, "POST", f"/v1/cards/{card}/cancel"), 200, what="R-L4 cancellation", status="cancelled")
        faq.check(ecard_status(gov, binding) == "unlinked", "R-L4 bindings unlinked")
        start(gov, issue_body("冯十三"), 422, "CARD_CANCELLED", what="R-E5 a cancelled card")
        expect(op(clerk, "POST", f"/v1/cards/{card}/cancel"), 409, "INVALID_STATE_TRANSITION",
               what="R-C1 cancelled is terminal")

    situation("R-P1 R-C1 R-C3 registration and the card's life cycle (collect, activate)",
              registration_and_card_life_cycle)
    situation("R-E5 why an application fails (every card state, no card, name mismatch)", application_failures)
    situation("R-E3 R-W2 level 1 by face, weak passwords refused", level_one_by_face)
    situation("R-E4 level 2 by SMS: upgrade, the code read through the other server", level_two_by_sms)
    situation("R-E6 face fails (no reference photo, liveness, service down) -> SMS, level 2", face_fails_then_sms)
    situation("R-E4 R-C3 wrong bank-reserved phone, changed by the teller; no financial function",
              wrong_reserved_phone_and_no_financial_function)
    situation("R-E7 R-E2 issuance in a second channel with the same password", second_channel)
    situation("R-W3 password change in one channel, in force in every channel", password_change)
    situation("R-W4 R-W3 five wrong passwords lock it; reset after a face check", wrong_passwords_lock_then_reset)
    situation("R-U1 R-U2 R-U3 session, QR identity check, card face", identity_check)
    situation("R-U4 R-U5 settlement, idempotent order, refund, bank self-pay, reconciliation", settlement_and_refund)
    situation("R-U5 R-U8 contribution at level 2 only", contribution)
    situation("R-U6 R-U7 records query", records)
    situation("R-E9 R-E8 where my e-card is; revoking a channel", where_my_ecard_is)
    situation("R-L1 R-L2 loss reported by the cardholder, cancelled in another channel", loss_by_cardholder)
    situation("R-L1 R-L2 R-L4 loss and lock at the counter", loss_and_lock_by_counter)
    situation("R-L5 a lost card never reported stays usable", lost_never_reported)
    situation("R-F1 R-F2 R-F3 R-F4 family member added, code, settlement, consent withdrawn", family)
    situation("R-X1 R-X2 R-X3 cross-region settlement, filing, clearing", cross_region)
    situation("R-L3 replacement: old bindings unlinked, the new card issued again", replacement)
    situation("R-L4 cancellation", cancellation)


if __name__ == "__main__":
    sys.exit(main())
