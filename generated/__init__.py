"""generated: typed AWS clients, generated from botocore models.

Do not edit: run `typed-aws-codegen generate`.
"""
