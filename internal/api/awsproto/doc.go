// Package awsproto holds what every AWS protocol fargo speaks has in common: the description of
// a service (its protocol, target prefix or API version, signing name and operations), the codecs
// of the JSON 1.1 and Query/XML protocols, the AWS error envelopes, optional members, and the
// pagination of list operations. It knows no service.
package awsproto
