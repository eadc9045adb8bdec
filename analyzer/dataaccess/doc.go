// Package dataaccess turns the code references an inventory recorded into
// data-access evidence: which code reads which personal data, and which
// SDK (or the app itself) owns that code.
//
// The API rules (rules.DB.APIs) name framework and SDK methods, fields and
// string constants. NewIndex compiles them into one dex.RefQuery, which the
// inventory runs over every method while each DEX file is in memory
// (inventory.Options.Code). Analyze then applies the rules' conditions (a
// Settings.Secure.getString call reads the Android ID only with the
// constant "android_id" in the same method), attributes each method to the
// SDK whose DEX prefix owns its class — longest prefix wins, as in
// detection — or to the app, and groups the sites by owner and data
// category.
//
// When the inventory carries a call summary (inventory.CodeQuery.Calls),
// Analyze also asks analyzer/callgraph for each site's reach (startup,
// reachable, unreachable, unknown) and one shortest call path, lists a
// category's start-up sites first and gives the category the strongest
// reach of its sites.
//
// What this is evidence of: the code is present in the APK and references
// the API, and, with reach, that a static call path leads to it. It is not
// a claim that the code runs: branches, reflection, strings built at run
// time and code loaded later are not evaluated, and reports say "present
// in code", never "executed". A reference to an API that stopped returning
// the data on every Android version the app supports is kept but marked
// restricted.
package dataaccess
