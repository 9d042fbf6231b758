// Package embedetcdtest gives tests a throwaway embedded etcd member.
package embedetcdtest
