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
  help                                  Show this help.

Operator commands (keys, admin) accept --config FILE (default: $SWITCHYARD_CONFIG)
and use the store and ENCRYPTION_KEY the gateway uses.

Exit status: 0 success, 1 operational error, 2 usage error.
`;
