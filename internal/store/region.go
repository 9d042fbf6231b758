package store

// regionalRoot prefixes the keys of the regions other than the home region, each under its
// name. The home region keeps keyRoot, so data directories of a fargo without regions work on.
const regionalRoot = keyRoot + "regional/"

// Region records that a region other than the home region was used, so that a restarted
// server and the data plane find the regions whose objects they must serve.
type Region struct {
	Name string
}

// In returns the view of region, a region other than the home region: its regional
// collections (ECS, ELB, CodeDeploy, ECR, Logs, Application Auto Scaling) live under a key root
// of their own, so the same names in two regions are two objects. The global collections are
// s's: IAM, the regions, and the listener ports, which one machine's listeners share.
func (s *Store) In(region string) *Store {
	r := newStore(s.kv, regionalRoot+region+"/")
	r.IAMUsers, r.IAMGroups, r.IAMRoles, r.IAMPolicies = s.IAMUsers, s.IAMGroups, s.IAMRoles, s.IAMPolicies
	r.IAMAccessKeys, r.IAMKeyUsage = s.IAMAccessKeys, s.IAMKeyUsage
	r.ListenerPorts = s.ListenerPorts
	r.Regions = s.Regions
	return r
}
