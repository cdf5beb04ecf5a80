// Command etcd is the etcd server of go.etcd.io/etcd/server/v3 (the version pinned in go.mod), built unchanged as the
// storage of the kube-apiserver in the service's cluster tests: the same entry point as upstream etcd's main.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
