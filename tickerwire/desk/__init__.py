"""The editors' desk: status changes, corrections that last, the audit log, and embargo release."""
