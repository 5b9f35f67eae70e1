using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.FollowUps;
using Portal.Domain.Plans;
using Portal.Domain.Providers;
using Portal.Domain.Reminders;

namespace Portal.Domain.Referrals;

/// <summary>
/// A request to a provider to serve the person: Draft → Sent → Accepted | Declined, Accepted → Completed with an
/// outcome, and Withdrawn from any open state (Draft, Sent, Accepted). Its own aggregate so that provider replies
/// do not contend with edits to the case.
/// </summary>
public sealed class Referral : VersionedEntity
{
    public const int ReasonMaxLength = 4000;
    public const int CommentMaxLength = 4000;

    public static readonly TimeSpan MaxAppointmentAhead = TimeSpan.FromDays(366);

    private readonly List<ReferralStatusChange> _history = [];

    private Referral()
    {
    }

    public Guid Id { get; private set; }

    public Guid CaseId { get; private set; }

    /// <summary>Copied from the case so lists and messages need not load it.</summary>
    public string CaseNumber { get; private set; } = string.Empty;

    public string CountryCode { get; private set; } = string.Empty;

    public ReferralType Type { get; private set; }

    public Guid ProviderId { get; private set; }

    public string Reason { get; private set; } = string.Empty;

    public ReferralUrgency Urgency { get; private set; }

    public ReferralStatus Status { get; private set; }

    public ReferralDeclineReason? DeclineCode { get; private set; }

    /// <summary>The provider's words on declining; required when <see cref="DeclineCode"/> is Other.</summary>
    public string? DeclineReason { get; private set; }

    /// <summary>When the provider will see the person; the advocate has a follow-up at that time.</summary>
    public DateTime? AppointmentAtUtc { get; private set; }

    public ReferralOutcome? Outcome { get; private set; }

    public string? OutcomeComment { get; private set; }

    public string? WithdrawReason { get; private set; }

    public DateTime? SentAtUtc { get; private set; }

    public string? SentBy { get; private set; }

    public DateTime? AcceptanceDueAtUtc { get; private set; }

    public DateTime? AcceptedAtUtc { get; private set; }

    public DateTime? DeclinedAtUtc { get; private set; }

    public DateTime? CompletedAtUtc { get; private set; }

    public DateTime? WithdrawnAtUtc { get; private set; }

    public ConsentOverride? ConsentOverride { get; private set; }

    /// <summary>The goal of the action plan this referral carries out, if the advocate tied it to one.</summary>
    public Guid? GoalId { get; private set; }

    /// <summary>In no guaranteed order once loaded; order by <see cref="ReferralStatusChange.Sequence"/>.</summary>
    public IReadOnlyList<ReferralStatusChange> History => _history;

    public bool IsOpen => ReferralRules.Open.IsMetBy(this);

    /// <summary>What the provider and the advocate quote to each other: the case number and the end of the referral's id.</summary>
    public string Reference => ReferenceOf(CaseNumber, Id);

    public static string ReferenceOf(string caseNumber, Guid referralId) => $"{caseNumber}/{referralId.ToString("N")[^6..].ToUpperInvariant()}";

    public static Referral Create(
        Case survivorCase,
        ReferralType type,
        ServiceProvider provider,
        string reason,
        ReferralUrgency urgency,
        string by,
        TimeProvider clock)
    {
        Guard.UserId(by, "The person creating the referral");
        survivorCase.EnsureNotClosed("create a referral for");
        var referral = new Referral
        {
            Id = Guid.CreateVersion7(),
            CaseId = survivorCase.Id,
            CaseNumber = survivorCase.Number,
            CountryCode = survivorCase.CountryCode,
            Status = ReferralStatus.Draft,
        };
        referral.SetDetails(survivorCase, type, provider, reason, urgency);
        referral.AddHistory(null, ReferralStatus.Draft, by, clock.GetUtcDateTime(), comment: null);
        referral.Touch();
        return referral;
    }

    public void EditDraft(Case survivorCase, ReferralType type, ServiceProvider provider, string reason, ReferralUrgency urgency)
    {
        EnsureStatus("edit", ReferralStatus.Draft);
        EnsureSameCase(survivorCase);
        survivorCase.EnsureNotClosed("edit a referral for");
        SetDetails(survivorCase, type, provider, reason, urgency);
        Touch();
    }

    /// <summary>
    /// Sends the referral if the person's consent allows it, and returns the follow-ups the policy plans for it
    /// (acceptance check first); the caller stores them.
    /// </summary>
    /// <exception cref="ConsentRequiredException">Consent is missing; the exception lists what.</exception>
    public IReadOnlyList<FollowUp> Send(Case survivorCase, ServiceProvider provider, ReminderPolicy policy, string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person sending the referral");
        var now = clock.GetUtcDateTime();
        EnsureSendable(survivorCase, provider);
        var check = ConsentGate.Check(survivorCase, ProviderId, now);
        if (!check.IsSatisfied)
        {
            throw new ConsentRequiredException($"send the {Type} referral of case {CaseNumber} to {provider.Name}", check.Missing);
        }

        var plan = Plan(survivorCase, policy, now);
        MarkSent(plan, by, now, comment: null);
        return plan.FollowUps;
    }

    /// <summary>
    /// A coordinator sends despite missing consent, for instance when the person's life is at risk. The written
    /// reason is mandatory and kept with what was missing. If consent turns out to be complete, no override is recorded.
    /// </summary>
    public IReadOnlyList<FollowUp> SendWithConsentOverride(
        Case survivorCase,
        ServiceProvider provider,
        ReminderPolicy policy,
        string coordinatorId,
        string reason,
        TimeProvider clock)
    {
        Guard.UserId(coordinatorId, "Coordinator");
        var text = Guard.Required(reason, "A written reason for overriding consent", ReasonMaxLength);
        var now = clock.GetUtcDateTime();
        EnsureSendable(survivorCase, provider);
        var check = ConsentGate.Check(survivorCase, ProviderId, now);
        var plan = Plan(survivorCase, policy, now);
        if (check.IsSatisfied)
        {
            MarkSent(plan, coordinatorId, now, comment: null);
            return plan.FollowUps;
        }

        ConsentOverride = new ConsentOverride(coordinatorId, text, now, string.Join(", ", check.Missing.Select(m => m.Kind)));
        MarkSent(plan, coordinatorId, now, $"Consent overridden: {text}");
        return plan.FollowUps;
    }

    public void Accept(string by, TimeProvider clock, string? comment = null)
    {
        Guard.UserId(by, "The person recording acceptance");
        EnsureStatus("record acceptance of", ReferralStatus.Sent);
        var now = clock.GetUtcDateTime();
        AcceptedAtUtc = now;
        ChangeStatus(ReferralStatus.Accepted, by, now, Guard.Optional(comment, "Comment", CommentMaxLength));
    }

    public void Decline(ReferralDeclineReason reason, string? comment, string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person recording the decline");
        EnsureStatus("record the provider declining", ReferralStatus.Sent, ReferralStatus.Accepted);
        Guard.Defined(reason, "The reason the provider declined");
        var text = reason == ReferralDeclineReason.Other
            ? Guard.Required(comment, "The reason the provider declined", ReasonMaxLength)
            : Guard.Optional(comment, "Comment", ReasonMaxLength);
        var now = clock.GetUtcDateTime();
        DeclineCode = reason;
        DeclineReason = text;
        DeclinedAtUtc = now;
        ChangeStatus(ReferralStatus.Declined, by, now, text is null ? reason.ToString() : $"{reason}: {text}");
    }

    /// <summary>
    /// The provider gives the person an appointment, accepting the referral if it was only sent. The caller plans (or
    /// moves) the advocate's follow-up for that time.
    /// </summary>
    public void Schedule(DateTime appointmentAtUtc, string by, TimeProvider clock, string? comment = null)
    {
        Guard.UserId(by, "The person recording the appointment");
        EnsureStatus("schedule an appointment for", ReferralStatus.Sent, ReferralStatus.Accepted);
        var now = clock.GetUtcDateTime();
        if (appointmentAtUtc <= now)
        {
            throw new DomainException(ErrorCodes.AppointmentInPast, $"The appointment for the {Type} referral of case {CaseNumber} must be in the future.");
        }

        if (appointmentAtUtc > now + MaxAppointmentAhead)
        {
            throw new DomainException(ErrorCodes.AppointmentTooFar, $"The appointment for the {Type} referral of case {CaseNumber} must be within a year.");
        }

        var text = Guard.Optional(comment, "Comment", CommentMaxLength);
        if (Status == ReferralStatus.Sent)
        {
            AcceptedAtUtc = now;
            ChangeStatus(ReferralStatus.Accepted, by, now, comment: null);
        }

        AppointmentAtUtc = appointmentAtUtc;
        AddHistory(Status, Status, by, now, text, appointmentAtUtc);
        Touch();
    }

    public void Complete(ReferralOutcome outcome, string by, TimeProvider clock, string? comment = null)
    {
        Guard.UserId(by, "The person recording completion");
        EnsureStatus("complete", ReferralStatus.Accepted);
        Guard.Defined(outcome, "Outcome");
        var text = Guard.Optional(comment, "Comment", CommentMaxLength);
        var now = clock.GetUtcDateTime();
        Outcome = outcome;
        OutcomeComment = text;
        CompletedAtUtc = now;
        ChangeStatus(ReferralStatus.Completed, by, now, text);
    }

    public void Withdraw(string reason, string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person withdrawing the referral");
        EnsureStatus("withdraw", ReferralRules.OpenStatuses);
        var text = Guard.Required(reason, "The reason for withdrawing", ReasonMaxLength);
        var now = clock.GetUtcDateTime();
        WithdrawReason = text;
        WithdrawnAtUtc = now;
        ChangeStatus(ReferralStatus.Withdrawn, by, now, text);
    }

    /// <summary>Ties the referral to the plan goal it carries out; the goal must be open and answer this kind of need.</summary>
    public void Serve(PlanGoal goal)
    {
        goal.EnsureServedBy(this);
        GoalId = goal.Id;
        Touch();
    }

    /// <summary>Sent and not answered by the deadline: the advocate chases and coordinators are told.</summary>
    public bool IsOverdueForAcceptance(DateTime utcNow) => ReferralRules.OverdueForAcceptance.IsMetBy(this, utcNow);

    public IReadOnlySet<ReferralAction> AvailableActions() => Status switch
    {
        ReferralStatus.Draft => new HashSet<ReferralAction> { ReferralAction.EditDraft, ReferralAction.Send, ReferralAction.Withdraw },
        ReferralStatus.Sent => new HashSet<ReferralAction> { ReferralAction.Accept, ReferralAction.Decline, ReferralAction.Schedule, ReferralAction.Withdraw },
        ReferralStatus.Accepted => new HashSet<ReferralAction> { ReferralAction.Schedule, ReferralAction.Decline, ReferralAction.Complete, ReferralAction.Withdraw },
        _ => new HashSet<ReferralAction>(),
    };

    private void SetDetails(Case survivorCase, ReferralType type, ServiceProvider provider, string reason, ReferralUrgency urgency)
    {
        Guard.Defined(type, "Referral type");
        EnsureProviderSuits(survivorCase, provider, type);
        Type = type;
        ProviderId = provider.Id;
        Reason = Guard.Required(reason, "Referral reason", ReasonMaxLength);
        Urgency = Guard.Defined(urgency, "Urgency");
    }

    private void EnsureSendable(Case survivorCase, ServiceProvider provider)
    {
        EnsureStatus("send", ReferralStatus.Draft);
        EnsureSameCase(survivorCase);
        survivorCase.EnsureNotClosed("send a referral for");
        if (provider.Id != ProviderId)
        {
            throw new DomainException(
                ErrorCodes.ReferralWrongProvider,
                $"Cannot send the {Type} referral of case {CaseNumber} to {provider.Name}: it is addressed to another provider.");
        }

        // Checked again at sending: the provider may have been deactivated or changed since the draft was made.
        EnsureProviderSuits(survivorCase, provider, Type);
    }

    private static void EnsureProviderSuits(Case survivorCase, ServiceProvider provider, ReferralType type)
    {
        if (!provider.IsActive)
        {
            throw new DomainException(
                ErrorCodes.ProviderInactive,
                $"Cannot refer case {survivorCase.Number} to {provider.Name}: the provider is inactive.");
        }

        if (!provider.Offers(type))
        {
            throw new DomainException(
                ErrorCodes.ProviderServiceNotOffered,
                $"Cannot refer case {survivorCase.Number} to {provider.Name} for {type}: the provider does not offer it.");
        }

        if (provider.CountryCode != survivorCase.CountryCode)
        {
            throw new DomainException(
                ErrorCodes.ProviderOtherCountry,
                $"Cannot refer case {survivorCase.Number} to {provider.Name}: the provider works in {provider.CountryCode}, the case is in {survivorCase.CountryCode}.");
        }
    }

    private void EnsureSameCase(Case survivorCase)
    {
        if (survivorCase.Id != CaseId)
        {
            throw new DomainException(
                ErrorCodes.ReferralWrongCase,
                $"The {Type} referral belongs to case {CaseNumber}, not to case {survivorCase.Number}.");
        }
    }

    /// <summary>Everything sending decides, worked out before anything changes so a failure leaves the draft intact.</summary>
    private SendPlan Plan(Case survivorCase, ReminderPolicy policy, DateTime now)
    {
        var acceptanceDue = policy.AcceptanceDueAt(CountryCode, now, Urgency);
        var acceptanceCheck = new PlannedFollowUp(FollowUpKind.AcceptanceCheck, acceptanceDue, IsUrgent: Urgency == ReferralUrgency.Emergency);
        var followUps = policy.PlanFor(Type, now, survivorCase.Allegation?.IncidentDate, CountryCode)
            .Prepend(acceptanceCheck)
            .Select(planned => FollowUp.FromPlan(CaseId, Id, planned))
            .ToList();
        return new SendPlan(acceptanceDue, followUps);
    }

    private void MarkSent(SendPlan plan, string by, DateTime now, string? comment)
    {
        SentAtUtc = now;
        SentBy = by;
        AcceptanceDueAtUtc = plan.AcceptanceDueAtUtc;
        ChangeStatus(ReferralStatus.Sent, by, now, comment);
    }

    private void EnsureStatus(string attempt, params ReferralStatus[] allowed)
    {
        if (!allowed.Contains(Status))
        {
            throw new DomainException(
                ErrorCodes.ReferralInvalidTransition,
                $"Cannot {attempt} the {Type} referral of case {CaseNumber}: it is {Status}; only a referral that is {string.Join(" or ", allowed)} allows this.");
        }
    }

    private void ChangeStatus(ReferralStatus to, string by, DateTime now, string? comment)
    {
        AddHistory(Status, to, by, now, comment);
        Status = to;
        Touch();
    }

    private void AddHistory(ReferralStatus? from, ReferralStatus to, string by, DateTime now, string? comment, DateTime? appointmentAtUtc = null)
    {
        var sequence = _history.Count == 0 ? 1 : _history.Max(h => h.Sequence) + 1;
        _history.Add(new ReferralStatusChange(sequence, from, to, by, now, comment, appointmentAtUtc));
    }

    private sealed record SendPlan(DateTime AcceptanceDueAtUtc, IReadOnlyList<FollowUp> FollowUps);
}
