"""The data of ``make test-upgrade`` (see tools/upgrade_check.py).

Runs inside ``odoo-bin shell``, never on its own:

- :func:`setup` with the code of the previous release (18.0.1.0.0): creates
  customers on hold for each reason, held and released documents, leaves a
  nightly pass under way, and writes what it created to a JSON file;
- :func:`verify` with the current code, after ``-u credit_hold``: checks that
  every hold, reason and held document is still there, then runs a nightly
  pass and checks that it changes nothing.

Both only use what their release offers (fields, methods): ``setup`` must not
touch the new fields, ``verify`` must not touch the old stored columns.
"""

import json
from datetime import timedelta

# Customers of the scenario: name -> the reason codes expected after the
# upgrade in each company (no entry: not on hold there).
CUSTOMERS = {
    "Over Limit Ltd": {"main": "over_limit", "second": "enforced"},
    "Overdue Ltd": {"main": "overdue"},
    "Over And Overdue Ltd": {"main": "over_limit,overdue"},
    "Enforced Ltd": {"main": "enforced"},
    "New Customer Ltd": {"main": "new_customer"},
    "Good Payer Ltd": {},
    "Big Order Ltd": {},
    "Released Ltd": {},
    "Held Again Ltd": {},
}


# ----------------------------------------------------------------------
# With the previous release
# ----------------------------------------------------------------------


def setup(env, out_path):
    from odoo import Command, fields

    main = env.ref("base.main_company")
    second = env["res.company"].create({"name": "Upgrade Second Company", "currency_id": main.currency_id.id})
    today = fields.Date.context_today(env.user)
    # invoices are posted before invoices are held; held invoices come last
    settings = {
        "credit_hold_enabled": True,
        "credit_hold_over_limit": True,
        "credit_hold_overdue": True,
        "credit_hold_grace_days": 0,
        "credit_hold_limit_basis": "balance",
        "credit_hold_prevent_orders": True,
        "credit_hold_prevent_invoices": False,
        "credit_hold_new_customers": False,
    }
    main.write(settings)
    second.write(settings)
    controller = env["res.users"].create(
        {
            "name": "Upgrade Controller",
            "login": "upgrade_controller",
            "email": "controller@upgrade.example.com",
            "company_id": main.id,
            "company_ids": [Command.set([main.id, second.id])],
            "groups_id": [
                Command.set(
                    [
                        env.ref("base.group_user").id,
                        env.ref("sales_team.group_sale_manager").id,
                        env.ref("account.group_account_invoice").id,
                        env.ref("credit_hold.group_credit_controller").id,
                    ]
                )
            ],
        }
    )
    service = env["product.product"].create(
        {
            "name": "Upgrade Consulting",
            "type": "service",
            "list_price": 100.0,
            "invoice_policy": "order",
            "taxes_id": [Command.clear()],
        }
    )
    Partner = env["res.partner"].with_company(main)
    partners = {}
    for name in CUSTOMERS:
        if name == "New Customer Ltd":
            continue
        partners[name] = Partner.create({"name": name, "is_company": True, "credit_limit": 1000.0})
    partners["Overdue Ltd"].credit_limit = 0.0  # overdue only, no limit

    def invoice(partner, amount, due=None, post=True):
        date = due or today
        move = (
            env["account.move"]
            .with_company(main)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": date,
                    "date": date,
                    "invoice_payment_term_id": False,
                    "invoice_date_due": date,
                    "invoice_line_ids": [
                        Command.create({"name": "Service", "quantity": 1, "price_unit": amount, "tax_ids": []})
                    ],
                }
            )
        )
        move.invoice_date_due = date
        if post:
            move.action_post()
        return move

    def order(partner, amount):
        return (
            env["sale.order"]
            .with_company(main)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": main.id,
                    "order_line": [
                        Command.create(
                            {"product_id": service.id, "product_uom_qty": 1, "price_unit": amount, "tax_id": []}
                        )
                    ],
                }
            )
        )

    past = today - timedelta(days=30)
    invoice(partners["Over Limit Ltd"], 1500.0)
    invoice(partners["Overdue Ltd"], 200.0, due=past)
    invoice(partners["Over And Overdue Ltd"], 1200.0, due=past)
    invoice(partners["Good Payer Ltd"], 300.0)
    partners["Enforced Ltd"].write({"on_hold_type": "enforced_on"})
    # the same customer, another company, another reason
    partners["Over Limit Ltd"].with_company(second).write({"on_hold_type": "enforced_on"})
    # a contact shows its company's hold
    contact = Partner.create({"name": "Olga Over", "parent_id": partners["Over Limit Ltd"].id})
    # R14: a new customer waits for its first payment
    main.credit_hold_new_customers = True
    partners["New Customer Ltd"] = Partner.create({"name": "New Customer Ltd", "is_company": True, "customer_rank": 1})
    main.write({"credit_hold_new_customers": False, "credit_hold_prevent_invoices": True})

    documents = {}
    # held for its own amount: the customer is not on hold
    so_big = order(partners["Big Order Ltd"], 1500.0)
    so_big.action_confirm()
    documents["order held over limit"] = (so_big, "over_limit")
    # held because the customer is on hold (overdue)
    so_overdue = order(partners["Overdue Ltd"], 100.0)
    so_overdue.action_confirm()
    documents["order held overdue"] = (so_overdue, "overdue")
    # held for both reasons
    so_both = order(partners["Over And Overdue Ltd"], 100.0)
    so_both.action_confirm()
    documents["order held over limit and overdue"] = (so_both, "over_limit,overdue")
    # invoice of a customer put on hold by a controller
    inv_enforced = invoice(partners["Enforced Ltd"], 50.0)
    documents["invoice held enforced"] = (inv_enforced, "enforced")
    # invoice of a new customer
    inv_new = invoice(partners["New Customer Ltd"], 50.0)
    documents["invoice held new customer"] = (inv_new, "new_customer")
    # released by a controller: confirmed, keeps its reason
    so_released = order(partners["Released Ltd"], 1500.0)
    so_released.action_confirm()
    so_released.with_user(controller).with_company(main).credit_release("Upgrade check: paid in advance")
    documents["order released"] = (so_released, "over_limit")
    # released, then put back on hold by the controller
    so_again = order(partners["Held Again Ltd"], 1500.0)
    so_again.action_confirm()
    so_again.with_user(controller).with_company(main).credit_release("Upgrade check: first release")
    so_again.with_user(controller).with_company(main).action_credit_hold()
    documents["order held again"] = (so_again, "manual")

    # a nightly pass under way when the upgrade comes (batches of one customer)
    env["res.partner"]._cron_evaluate_credit_hold(batch_size=1)
    env.flush_all()
    env.cr.execute("SELECT count(*) FROM credit_hold_queue")
    queued = env.cr.fetchone()[0]

    expected = {"companies": {"main": main.id, "second": second.id}, "customers": {}, "documents": {}}
    for name, partner in [*partners.items(), ("Olga Over (contact)", contact)]:
        codes = CUSTOMERS.get(name, CUSTOMERS["Over Limit Ltd"] if partner == contact else {})
        state = {}
        for key, company in (("main", main), ("second", second)):
            p = partner.with_company(company)
            state[key] = {"on_hold": p.on_hold, "reason": p.credit_hold_reason or False, "codes": codes.get(key, False)}
            if bool(p.on_hold) != bool(codes.get(key)):
                raise AssertionError(f"setup: {name} in {company.name}: on_hold={p.on_hold}, expected {codes}")
        expected["customers"][name] = {"id": partner.id, **state}
    for label, (doc, codes) in documents.items():
        if doc.credit_status not in ("held", "released") or not doc.credit_held_reason:
            raise AssertionError(f"setup: {label} is {doc.credit_status} ({doc.credit_held_reason})")
        expected["documents"][label] = {
            "model": doc._name,
            "id": doc.id,
            "name": doc.display_name,
            "state": doc.state,
            "credit_status": doc.credit_status,
            "reason": doc.credit_held_reason,
            "codes": codes,
        }
    if not queued:
        raise AssertionError("setup: no nightly pass under way")
    expected["queued"] = queued
    env.cr.commit()
    with open(out_path, "w") as fh:
        json.dump(expected, fh, indent=2, sort_keys=True)
    print(f"setup: {len(expected['customers'])} customers, {len(documents)} documents, {queued} queued")


# ----------------------------------------------------------------------
# With the current release
# ----------------------------------------------------------------------


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def check(self, label, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed.append(f"{label}: {detail}")


def _hold_state(env, expected):
    """{(customer, company key): (on_hold, codes)} of the scenario's customers."""
    companies = {key: env["res.company"].browse(cid) for key, cid in expected["companies"].items()}
    env.invalidate_all()
    return {
        (name, key): (
            bool(env["res.partner"].browse(data["id"]).with_company(company).on_hold),
            env["res.partner"].browse(data["id"]).with_company(company).credit_hold_reason_codes or False,
        )
        for name, data in expected["customers"].items()
        for key, company in companies.items()
    }


def verify(env, expected_path, result_path):
    with open(expected_path) as fh:
        expected = json.load(fh)
    checks = Checks()
    check = checks.check
    companies = {key: env["res.company"].browse(cid) for key, cid in expected["companies"].items()}

    # customers: hold, codes, words
    for name, data in expected["customers"].items():
        for key, company in companies.items():
            old = data[key]
            partner = env["res.partner"].browse(data["id"]).with_company(company)
            where = f"customer {name} in {company.name}"
            check(f"{where}: on hold", bool(partner.on_hold) == bool(old["on_hold"]), f"{partner.on_hold}")
            check(
                f"{where}: reason codes",
                (partner.credit_hold_reason_codes or False) == old["codes"],
                f"{partner.credit_hold_reason_codes!r} != {old['codes']!r}",
            )
            check(
                f"{where}: reason in words",
                (partner.credit_hold_reason or False) == old["reason"],
                f"{partner.credit_hold_reason!r} != {old['reason']!r}",
            )
            # 18.0.3.1.0: the main hold reason (the first code), for the graph
            first = old["codes"].split(",")[0] if old["codes"] else False
            check(
                f"{where}: main hold reason",
                (partner.credit_hold_main_reason or False) == first,
                f"{partner.credit_hold_main_reason!r} != {first!r}",
            )

    # documents: status, state, codes, the old sentence, the held list
    listed = env["credit.hold.document"].search([])
    by_ref = {(rec.res_model, rec.res_id): rec for rec in listed}
    for label, old in expected["documents"].items():
        doc = env[old["model"]].browse(old["id"])
        where = f"{label} ({old['name']})"
        check(f"{where}: exists", doc.exists(), "deleted")
        if not doc.exists():
            continue
        check(f"{where}: credit status", doc.credit_status == old["credit_status"], doc.credit_status)
        check(f"{where}: state", doc.state == old["state"], f"{doc.state} != {old['state']}")
        check(
            f"{where}: reason codes",
            doc.credit_held_reason_codes == old["codes"],
            f"{doc.credit_held_reason_codes!r} != {old['codes']!r}",
        )
        check(
            f"{where}: reason (legacy sentence)",
            doc.credit_held_reason == old["reason"],
            f"{doc.credit_held_reason!r} != {old['reason']!r}",
        )
        entries = doc.credit_held_reasons or []
        check(
            f"{where}: reasons kept as legacy entries",
            bool(entries) and all(e.get("legacy") and e.get("label") for e in entries),
            repr(entries),
        )
        row = by_ref.get((old["model"], old["id"]))
        check(f"{where}: in the held documents list", bool(row), "missing")
        if row:
            check(
                f"{where}: held list status, codes and reason",
                (row.credit_status, row.credit_held_reason_codes, row.credit_held_reason)
                == (old["credit_status"], old["codes"], old["reason"]),
                f"{(row.credit_status, row.credit_held_reason_codes, row.credit_held_reason)!r}",
            )
            check(
                f"{where}: held list main reason",
                row.reason_code == old["codes"].split(",")[0],
                f"{row.reason_code!r}",
            )

    # held-documents filters work on the codes
    for code in ("over_limit", "overdue", "enforced", "new_customer", "manual"):
        wanted = {(o["model"], o["id"]) for o in expected["documents"].values() if code in o["codes"].split(",")}
        found = {
            (r.res_model, r.res_id)
            for r in env["credit.hold.document"].search([("credit_held_reason_codes", "ilike", code)])
        }
        check(f"held list filtered on {code}", wanted <= found, f"{sorted(wanted - found)} missing")

    # the pass under way in the previous release is dropped, not continued with its old figures
    env.cr.execute(
        "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'credit_hold_queue'::regclass AND attname = 'gathered_on'"
    )
    check("queue.gathered_on is NOT NULL", env.cr.fetchone() == (True,), "nullable")
    env.cr.execute("SELECT count(*) FROM credit_hold_queue")
    check("queue of the previous release emptied", env.cr.fetchone()[0] == 0, f"{expected['queued']} queued before")
    check(
        "pass state of the previous release removed",
        not env["ir.config_parameter"].sudo().get_param("credit_hold.evaluation_pass"),
        "credit_hold.evaluation_pass still set",
    )

    # the nightly pass: runs through, changes nothing
    env.cr.execute("SELECT count(*) FROM credit_hold_history")
    history_before = env.cr.fetchone()[0]
    before = _hold_state(env, expected)
    docs_before = {
        label: (env[o["model"]].browse(o["id"]).credit_status, env[o["model"]].browse(o["id"]).state)
        for label, o in expected["documents"].items()
    }
    calls = 0
    error = None
    try:
        partners = env["res.partner"].sudo()
        while calls < 50:
            calls += 1
            remaining = partners._cron_evaluate_credit_hold()
            env.flush_all()
            if not remaining:
                break
    except Exception as exc:  # reported as a failed check
        error = f"{type(exc).__name__}: {exc}"
    check("nightly pass runs without error", error is None, error)
    check("nightly pass completes", error is not None or calls < 50, f"{calls} calls")
    after = _hold_state(env, expected)
    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    check("nightly pass changes no hold", not changed, repr(changed))
    env.cr.execute("SELECT count(*) FROM credit_hold_history")
    history_after = env.cr.fetchone()[0]
    check(
        "nightly pass records no history for unchanged customers",
        history_after == history_before,
        f"{history_after - history_before} new rows",
    )
    env.invalidate_all()
    docs_after = {
        label: (env[o["model"]].browse(o["id"]).credit_status, env[o["model"]].browse(o["id"]).state)
        for label, o in expected["documents"].items()
    }
    check("nightly pass changes no document", docs_before == docs_after, f"{docs_before} -> {docs_after}")
    env.cr.execute("SELECT count(*) FROM credit_hold_queue")
    check("queue empty after the pass", env.cr.fetchone()[0] == 0, "rows left")

    env.cr.rollback()
    with open(result_path, "w") as fh:
        json.dump({"passed": checks.passed, "failed": checks.failed}, fh, indent=2)
