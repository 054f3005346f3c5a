// Package urlconfig serves Lambda's function URL configuration API (restJson, path version
// 2021-10-31): CreateFunctionUrlConfig, GetFunctionUrlConfig, UpdateFunctionUrlConfig,
// DeleteFunctionUrlConfig and ListFunctionUrlConfigs. The Lambda service reaches it through
// lambdaSvc.Mount(urlSvc, "/2021-10-31/functions/"), so requests signed for "lambda" and unsigned
// ones under Lambda's path prefixes both arrive here.
//
// A function has at most one URL per qualifier (none, or an alias name); a second Create is
// ResourceConflictException. Each URL gets a 32-character lowercase id, and its FunctionUrl is
//
//	http://<url-id>.lambda-url.<region>.localhost:<simulator port>/
//
// where AWS answers https://<url-id>.lambda-url.<region>.on.aws/: plain HTTP on the simulator's
// port, and a name under .localhost, which resolves to the loopback address without DNS set-up on
// most systems (curl, browsers, glibc with systemd-resolved); elsewhere send the request to
// 127.0.0.1 with that Host header, or use the path form /_url/<url-id>/<path> (internal/sim/callers/functionurl).
//
// State lives in the store under "lambdaurls/": configs keyed "<function name>/<qualifier>" and an
// index from url id to that key, which the front door reads through Lookup.
package urlconfig
