from __future__ import annotations

import json


def test_openapi_schema_lists_every_endpoint(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert set(paths["/api/v1/projects/{project_id}/events"]) == {"get", "post"}
    for path in (
        "/api/v1/projects",
        "/api/v1/projects/{project_id}",
        "/api/v1/enterprises",
        "/api/v1/enterprises/{enterprise_id}",
    ):
        assert "get" in paths[path], path
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_project_filters_are_documented(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    params = {p["name"] for p in schema["paths"]["/api/v1/projects"]["get"]["parameters"]}
    assert {"stage", "town", "industry", "team", "min_investment", "max_investment", "q"} <= params
    assert {"page", "page_size"} <= params


def test_no_docs_page_loads_assets_from_a_cdn(client, db):
    # Either there is no docs page, or it serves Swagger from our own static files.
    response = client.get("/api/v1/docs")

    assert response.status_code in {200, 404}
    if response.status_code == 200:
        body = response.content.decode()
        assert "cdn." not in body and 'src="http' not in body
