#!/usr/bin/env python3
"""Writes autoscaling-members.json: for every structure the Application Auto Scaling operations
fargo serves reach, its members as the botocore model lists them, each with the kind of its
value ("string", "double", "list of structure StepAdjustment", ...). wire_test.go checks that
the JSON names of the wire structs are these members and that each Go field has the type the
kind calls for, and lists the members fargo leaves out on purpose.

Run from this directory: python3 gen_members.py > autoscaling-members.json
"""
import json

import botocore
import botocore.session

OPERATIONS = [
    "RegisterScalableTarget", "DescribeScalableTargets", "DeregisterScalableTarget",
    "PutScalingPolicy", "DescribeScalingPolicies", "DeleteScalingPolicy", "DescribeScalingActivities",
]


def kind(shape):
    if shape.type_name == "list":
        return "list of " + kind(shape.member)
    if shape.type_name == "map":
        return "map of " + kind(shape.value)
    if shape.type_name == "structure":
        return "structure " + shape.name
    return shape.type_name


def walk(shape, out):
    if shape is None:
        return
    if shape.type_name == "structure":
        if shape.name in out:
            return
        out[shape.name] = {name: kind(m) for name, m in shape.members.items()}
        for member in shape.members.values():
            walk(member, out)
    elif shape.type_name == "list":
        walk(shape.member, out)
    elif shape.type_name == "map":
        walk(shape.value, out)


def main():
    model = botocore.session.get_session().get_service_model("application-autoscaling")
    shapes = {}
    for name in OPERATIONS:
        op = model.operation_model(name)
        walk(op.input_shape, shapes)
        walk(op.output_shape, shapes)
    doc = {"botocore": botocore.__version__, "shapes": dict(sorted(shapes.items()))}
    print(json.dumps(doc, indent=2))


if __name__ == "__main__":
    main()
