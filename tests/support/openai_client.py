"""Drives the IDE provider with the official `openai` Python client, as an editor would.

    python openai_client.py BASE_URL TOKEN MODEL

BASE_URL is the provider's OpenAI base URL (`http://127.0.0.1:PORT/v1`). Lists the models,
asks for a chat completion whole and streamed (with usage), asks for an answer constrained by a
JSON schema and parses it, and checks that a wrong token and an unknown model raise the client's
own errors. Prints one JSON line of what it saw; any failure raises (non-zero exit, traceback on
stderr). Run by tests/it/ide_openai.rs.
"""
import json
import sys

import openai


def main():
    base_url, token, model = sys.argv[1], sys.argv[2], sys.argv[3]
    client = openai.OpenAI(base_url=base_url, api_key=token, max_retries=0, timeout=300)
    seen = {}

    ids = [m.id for m in client.models.list()]
    assert model in ids, f"{model} not in {ids}"
    seen["models"] = ids

    messages = [
        {"role": "system", "content": "You answer in one short sentence."},
        {"role": "user", "content": [{"type": "text", "text": "Say hello."}]},
    ]
    raw = client.chat.completions.with_raw_response.create(
        model=model, messages=messages, max_tokens=12, temperature=0, seed=7
    )
    seen["route"] = raw.headers.get("x-edgecoder-route")
    whole = raw.parse()
    choice = whole.choices[0]
    assert choice.message.role == "assistant", choice
    assert isinstance(choice.message.content, str) and choice.message.content, choice
    assert choice.finish_reason in ("stop", "length"), choice.finish_reason
    assert whole.usage.completion_tokens > 0, whole.usage
    seen["whole"] = choice.message.content

    text, finishes, usage, chunks = "", [], None, 0
    stream = client.chat.completions.create(
        model=model,
        messages=messages,
        max_completion_tokens=12,
        temperature=0,
        seed=7,
        stream=True,
        stream_options={"include_usage": True},
    )
    for chunk in stream:
        chunks += 1
        if chunk.usage is not None:
            usage = chunk.usage
        for c in chunk.choices:
            text += c.delta.content or ""
            if c.finish_reason:
                finishes.append(c.finish_reason)
    assert text, "the stream carried no text"
    assert len(finishes) == 1, finishes
    assert usage is not None and usage.completion_tokens > 0, usage
    seen["streamed"] = text
    seen["chunks"] = chunks

    schema = {
        "type": "object",
        # Short by construction: a tiny model's free text would run past any output limit.
        "properties": {"answer": {"type": "string", "enum": ["blue", "green", "grey"]}},
        "required": ["answer"],
        "additionalProperties": False,
    }
    constrained = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": "What colour is the sky? Answer in JSON."}],
        max_tokens=48,
        temperature=0,
        seed=7,
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "answer", "schema": schema, "strict": True},
        },
    )
    parsed = json.loads(constrained.choices[0].message.content)
    assert isinstance(parsed, dict) and parsed.get("answer") in ("blue", "green", "grey"), parsed
    seen["json"] = parsed

    wrong = openai.OpenAI(base_url=base_url, api_key="wrong", max_retries=0)
    try:
        wrong.models.list()
        raise AssertionError("a wrong token was accepted")
    except openai.AuthenticationError as e:
        seen["wrong_token"] = e.status_code

    try:
        client.chat.completions.create(
            model="no-such-model", messages=[{"role": "user", "content": "hi"}], max_tokens=4
        )
        raise AssertionError("an unknown model answered")
    except openai.NotFoundError as e:
        assert model in str(e), str(e)
        seen["unknown_model"] = e.status_code

    print(json.dumps(seen))


if __name__ == "__main__":
    main()
