/** The CLI's help text. */
export const HELP_TEXT = `Usage: switchyard <command> [options]

Commands:
  start [--config FILE]                 Start the gateway.
  keys create --name NAME [--limits JSON] [--expires ISO] [--tags a,b]
              [--description TEXT] [--owner TEXT]
                                        Create a client key; its secret is printed once.
  keys list [--json]                    List client keys (never their secrets).
  keys revoke ID                        Delete a client key.
  admin reset-password [--username U] [--password P]
                                        Set an admin's password (generated and printed
                                        once when --password is omitted).
  status [--url http://127.0.0.1:PORT] [--json]
                                        Ask the running gateway (its /health): reachable,
                                        store, accounts by state, requests in flight.
                                        Exit status 1 when unreachable or its store is down.
  export [--passphrase-env VAR] [--with-usage] > state.json
                                        Write the whole state (accounts, keys, groups,
                                        users, settings, prices, cards; usage with
                                        --with-usage) to stdout; secrets sealed under a
                                        passphrase (asked, or read from $VAR).
  import FILE [--passphrase-env VAR] [--dry-run]
                                        Import a state file; re-running changes nothing.
                                        --dry-run reports what it would create or change.
  import crs --redis URL --encryption-key KEY [--dry-run]
             [--only keys,accounts,groups,usage] [--key-prefix cr_] [--timezone-offset 8]
                                        Import the reference relay service (crs) from its
                                        Redis (idempotent; --dry-run prints what it would do).
  help                                  Show this help.

Operator commands (keys, admin, status, export, import) accept --config FILE
(default: $SWITCHYARD_CONFIG) and use the store and ENCRYPTION_KEY the gateway uses
(status: the server address it listens on).

Exit status: 0 success, 1 operational error, 2 usage error.
`;
