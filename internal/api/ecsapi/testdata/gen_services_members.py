#!/usr/bin/env python3
"""Writes services-members.json: for every structure the service, task, container instance and
task set operations of ECS reach, its members as the botocore model lists them, with the kind
of each value (see gen_members.py, whose kind() this reuses). services_wire_test.go checks that every
JSON name of the wire structs is such a member of the right kind, and lists the members fargo
leaves out on purpose.

Run from this directory: python3 gen_services_members.py > services-members.json
"""
import json

import botocore
import botocore.session

from gen_members import walk

OPERATIONS = [
    "CreateService",
    "UpdateService",
    "DescribeServices",
    "ListServices",
    "DeleteService",
    "RunTask",
    "StartTask",
    "StopTask",
    "DescribeTasks",
    "ListTasks",
    "ListContainerInstances",
    "DescribeContainerInstances",
    "CreateTaskSet",
    "DescribeTaskSets",
    "UpdateTaskSet",
    "UpdateServicePrimaryTaskSet",
    "DeleteTaskSet",
]


def main():
    model = botocore.session.get_session().get_service_model("ecs")
    shapes = {}
    for name in OPERATIONS:
        op = model.operation_model(name)
        walk(op.input_shape, shapes)
        walk(op.output_shape, shapes)
    doc = {"botocore": botocore.__version__, "shapes": dict(sorted(shapes.items()))}
    print(json.dumps(doc, indent=2))


if __name__ == "__main__":
    main()
