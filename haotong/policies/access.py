"""Who may do what with policies. Checked on the server for every page and write.

* policy staff (analyst, admin) edit the catalogue, run matching, see everything;
* department reviewers and clerks work the outreach and grants of clauses their
  department is responsible for;
* enterprise users see only their own enterprise's page;
* out-of-scope records are 404, indistinguishable from missing ones.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from haotong.core.models import OrgUnit, Role, User
from haotong.ledger.models import Enterprise
from haotong.policies.models import Clause

POLICY_STAFF_ROLES = frozenset({Role.ANALYST, Role.ADMIN})
DEPARTMENT_ROLES = frozenset({Role.REVIEWER, Role.CLERK})


def is_policy_staff(user: User) -> bool:
    return user.is_superuser or user.role in POLICY_STAFF_ROLES


def department_of(user: User) -> OrgUnit | None:
    """The department a reviewer or clerk works for (a section counts as its department)."""
    unit = user.org_unit
    if user.role not in DEPARTMENT_ROLES or unit is None:
        return None
    if unit.kind == OrgUnit.Kind.SECTION and unit.parent is not None:
        return unit.parent
    return unit if unit.kind == OrgUnit.Kind.DEPARTMENT else None


def outreach_clauses(user: User) -> QuerySet[Clause]:
    """Clauses whose outreach and grants ``user`` works; 404 if none could be."""
    if is_policy_staff(user):
        return Clause.objects.all()
    dept = department_of(user)
    if dept is None:
        raise Http404
    return Clause.objects.of_department(dept)


def can_work_clause(user: User | None, clause: Clause) -> bool:
    if user is None:  # system work: demo loader, management commands
        return True
    if is_policy_staff(user):
        return True
    dept = department_of(user)
    return dept is not None and clause.department.path.startswith(dept.path)


def access_enterprise(user: User, pk: int) -> Enterprise:
    qs = Enterprise.objects.visible_to(user).select_related("town")
    return get_object_or_404(qs, pk=pk)


def sees_policy_dashboard(user: User) -> bool:
    return user.role != Role.ENTERPRISE or user.is_superuser
