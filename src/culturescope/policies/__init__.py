"""The policy register (docs/design/policies.md): stated policies, versioned, per organisation."""

from culturescope.policies.register import (
    IN_USE_STATUSES,
    STATUSES,
    Policy,
    PolicyDraft,
    PolicyError,
    PolicyVersion,
    RegisterChanges,
    add_policy,
    apply_register,
    organisation_of,
    policies,
    policy,
    remove_policy,
    update_policy,
)
from culturescope.policies.spreadsheet import (
    PolicyImportError,
    import_policy_file,
    read_policy_file,
    write_policy_file,
)

__all__ = [
    "IN_USE_STATUSES",
    "STATUSES",
    "Policy",
    "PolicyDraft",
    "PolicyError",
    "PolicyImportError",
    "PolicyVersion",
    "RegisterChanges",
    "add_policy",
    "apply_register",
    "import_policy_file",
    "organisation_of",
    "policies",
    "policy",
    "read_policy_file",
    "remove_policy",
    "update_policy",
    "write_policy_file",
]
