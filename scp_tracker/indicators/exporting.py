"""The plan's indicators in the plan's JSON export (`"indicators"`, issue 21's fields and a few more)."""

from scp_tracker.indicators.summaries import plan_summaries


def indicators_for_export(plan_id: int) -> list[dict]:
    """Each indicator of the plan with its figures, RAG and direction, in plain JSON values."""
    exported = []
    for summary in plan_summaries(plan_id):
        indicator = summary.indicator
        exported.append({
            "key_priority": indicator.key_priority.number,
            "name": indicator.name,
            "counted": indicator.counted,
            "unit": indicator.unit,
            "source": indicator.source,
            "better": indicator.better,
            "frequency": indicator.frequency,
            "baseline": {"value": indicator.baseline_value, "period": indicator.baseline_period},
            "target": {"value": summary.target, "change_percent": indicator.target_change_percent},
            "tolerance_percent": summary.tolerance_percent,
            "provider": {"contact": indicator.provider_contact.name if indicator.provider_contact else None,
                         "agency": indicator.provider_agency.abbreviation if indicator.provider_agency else None},
            "objectives": [objective.title for objective in indicator.objectives],
            "figures": [{"period": figure.period, "value": figure.value, "note": figure.note}
                        for figure in summary.figures],
            "rag": summary.assessment.rag,
            "direction": summary.assessment.direction,
        })
    return exported
