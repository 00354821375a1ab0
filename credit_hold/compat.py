# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What differs between the Odoo series the addons run on (18.0 and 19.0),
in one place: the rest of the code (tests included) is written once and
names these constants and helpers where the series differ.

Prefer an API both series have (``_read_group``, ``self.env.cr``, ``SQL``,
``has_group``, ``new_test_user``) to a branch here. When a real difference
remains, add it here, then use it by name:

- a renamed field: a constant (``NEW if SERIES >= 19 else OLD``), used as
  ``vals[SOL_UOM]`` / ``record[USER_GROUPS]`` in Python and in the tests;
- a changed call: a small function with both branches (see
  :func:`commit_progress`);
- a model attribute or framework hook (``_sql_constraints`` became
  ``models.Constraint``, ``_setup_complete`` became ``_post_model_setup__``):
  an ``if SERIES >= 19:`` in the class body, both forms side by side;
- XML records that cannot be valid on both series (a field renamed on
  ``res.users`` or ``res.groups``): the records that differ, and only them,
  go in ``<addon>/data/series/<major>/<file>.xml`` (or ``demo/series/...``),
  one file of the same name per series, loaded by a ``<function>`` of a data
  (or demo) file of the manifest, right after the records they complete::

      <function model="ir.module.module" name="_credit_hold_load_series_file"
                eval="['credit_hold', 'data/series/{series}/credit_hold_groups.xml']" />

  The function runs when the module is installed and on every update
  (``-u``), so the records are reloaded (and not removed as obsolete) like
  any other data; in a demo file (``noupdate``) it runs on install only, and
  passes ``True`` as a third element to load the records ``noupdate``.

When a series is dropped, grep ``SERIES`` and keep the other branch.
"""

from contextlib import nullcontext

from odoo import release
from odoo.tools import SQL, convert_file

SERIES = release.version_info[0]

# res.users: the groups given to the user (18: every group, implied ones
# included; 19: the explicit ones, implied ones in all_group_ids)
USER_GROUPS = "group_ids" if SERIES >= 19 else "groups_id"
# res.groups: every member, through implied groups too
GROUP_ALL_USERS = "all_user_ids" if SERIES >= 19 else "users"
# sale.order.line
SOL_UOM = "product_uom_id" if SERIES >= 19 else "product_uom"
SOL_TAXES = "tax_ids" if SERIES >= 19 else "tax_id"
# stock.picking: the moves a user edits in the form (19 has no packages tab)
PICKING_MOVES = "move_ids" if SERIES >= 19 else "move_ids_without_package"
# res.partner: 19.0 has no "Blocking Message" warnings (sale_warn,
# invoice_warn and picking_warn are gone, only the *_warn_msg texts remain):
# the ``blocked`` hold reason exists on 18.0 only
PARTNER_BLOCKING_WARNINGS = SERIES < 19
# product.template: sold, it creates a repair order (repair)
PRODUCT_CREATES_REPAIR = {"service_tracking": "repair"} if SERIES >= 19 else {"create_repair": True}


def stock_move_description(name):
    """The values that describe a new stock move: 18.0 requires its ``name``,
    19.0 has none."""
    return {} if SERIES >= 19 else {"name": name}


def cached_values(records, fname):
    """The values of field ``fname`` of ``records`` in the ORM's cache (as
    cached), in their order, up to the first one missing: a column read at
    once after a ``fetch()``. 19.0 moved the cache into the fields (and
    deprecates ``env.cache.get_until_miss``)."""
    field = records._fields[fname]
    if SERIES < 19:
        return records.env.cache.get_until_miss(records, field)
    cache = field._get_cache(records.env)
    values = []
    for record_id in records._ids:
        try:
            values.append(cache[record_id])
        except KeyError:
            break
    return values


def group_users(env, xmlid):
    """Every member of the group ``xmlid`` (implied membership included), as superuser."""
    return env.ref(xmlid).sudo()[GROUP_ALL_USERS]


def commit_progress(env, done, remaining):
    """Report a batch of a scheduled job: ``done`` items processed in this
    call, ``remaining`` left (0: complete), for Odoo's cron runner to call the
    job again while items remain.

    Outside a cron run (a test, a button) nothing is reported nor committed on
    either series: the caller's transaction stays the caller's (19's
    ``_commit_progress`` would commit it)."""
    if SERIES >= 19:
        if env.context.get("ir_cron_progress_id"):
            # commits, as the cron runner does after each call on 18
            env["ir.cron"]._commit_progress(done, remaining=remaining)
    else:
        env["ir.cron"]._notify_progress(done=done, remaining=remaining)


def uom_ratio_sql(from_uom, to_uom):
    """SQL factor converting a quantity in the unit of alias ``from_uom``
    into the unit of alias ``to_uom`` (1 when either is missing): 18's
    ``uom.uom.factor`` is reference units per unit (a dozen is 1/12), 19's
    the size of a unit in reference units (a dozen is 12)."""
    if SERIES >= 19:
        big, small = from_uom, to_uom
    else:
        big, small = to_uom, from_uom
    return SQL(
        "COALESCE(%s / NULLIF(%s, 0), 1)",
        SQL.identifier(big, "factor"),
        SQL.identifier(small, "factor"),
    )


def formatted_read_group(model, domain, groupby, aggregates):
    """What the graph and pivot views ask the server: one dict per group with
    its ``__count`` and the ``aggregates`` (``"amount:sum"``), through the
    public method of the series (19.0 deprecates ``read_group``)."""
    if SERIES >= 19:
        return model.formatted_read_group(domain, groupby, ["__count", *aggregates])
    return model.read_group(domain, aggregates, groupby, lazy=False)


def cron_job_test_mode(test_case):
    """The context in which a test runs a scheduled action as Odoo's cron
    runner does (``method_direct_trigger``, which commits): 19.0 runs the job
    in a cursor of its own, which the test routes to its transaction (the
    registry's test mode); 18.0 runs it in the caller's."""
    return test_case.enter_registry_test_mode() if SERIES >= 19 else nullcontext()


def load_series_file(env, module, path, noupdate=False):
    """Load ``<module>/<path>`` with ``{series}`` replaced by this series'
    major version (``data/series/{series}/credit_hold_groups.xml``): the records of a
    data file that differ per series. Called from a ``<function>`` of the
    module's data (see the module docstring), in the mode Odoo loads the
    module's data in: ``init`` on install, ``update`` otherwise."""
    state = env["ir.module.module"].sudo().search([("name", "=", module)]).state
    mode = "init" if state == "to install" else "update"
    convert_file(env, module, path.format(series=SERIES), {}, mode=mode, noupdate=noupdate)
