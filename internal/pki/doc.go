// Package pki is fargo's small certificate authority: it creates a CA and issues the
// certificates with which members, agents and data planes authenticate to each other and to
// etcd (`fargo cert`), and it builds the TLS settings of an etcd client from such files.
//
// Keys are ECDSA P-256. A CA lives in a directory of its own (mode 0700) as ca.crt and
// ca.key; each certificate it issues is NAME.crt and NAME.key beside them, valid for both
// server and client authentication, since a member is the server and the client of its peers.
// The certificate functions are pure: they take the time and return PEM bytes; the *Dir
// functions write them.
package pki
