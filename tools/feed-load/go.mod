module flinkjobrunner/tools/feed-load

go 1.22
