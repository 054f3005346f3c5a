// Package iampolicy parses IAM policy documents and decides requests against them, the way IAM
// does for identity-based policies in one account. It is pure Go: no I/O, no clock, no store.
//
// Parsing (Parse, ParseTrust) refuses what IAM refuses at upload time with MalformedPolicyDocument,
// so a document the simulator accepts is one AWS would accept too: an unknown element, an Effect
// other than Allow/Deny, an action without a service prefix, a resource that is neither "*" nor
// an ARN, an unknown condition operator, a Principal in an identity policy. The texts of *Error
// are IAM's where they are known (IAM User Guide, "IAM JSON policy element reference",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html).
//
// Evaluation (Evaluate, Explain) follows "Policy evaluation logic" for identity-based policies
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
// an explicit Deny in any statement that matches wins; otherwise an Allow that matches allows;
// otherwise the request is implicitly denied. A statement matches when its Action (or NotAction),
// its Resource (or NotResource) and every one of its conditions match.
//
//   - Actions: "service:Action" compared case-insensitively, with * and ? wildcards.
//   - Resources: "*" or an ARN compared part by part (partition, service, region, account,
//     resource), each part case-sensitively with * and ? wildcards that never cross a colon
//     except in the resource part, as ArnLike does. A pattern with fewer than six parts matches
//     its last part against the rest of the ARN (the simulator's reading of such patterns).
//   - Conditions: every operator IAM documents (String*, Numeric*, Date*, Bool, BinaryEquals,
//     IpAddress/NotIpAddress, Arn*, Null), with ...IfExists and the ForAnyValue:/ForAllValues:
//     qualifiers. Condition keys are case-insensitive; the request context holds one value a key.
//     A key missing from the context makes a condition false, except for negated operators
//     (StringNotEquals, ArnNotLike, ...) where it is true, ...IfExists (true) and Null — as the
//     IAM User Guide's "Condition operators" page says.
//   - Policy variables (${aws:username}, ${*}, ${?}, ${$}) in Resource and condition values of
//     2012-10-17 documents are replaced from the context; a variable the context lacks makes that
//     element not match.
//
// Not modelled: permissions boundaries, session policies, SCPs/RCPs, resource-based policies
// (Lambda checks its own), multi-valued context keys.
package iampolicy
