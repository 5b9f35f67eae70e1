using System.Security.Cryptography;
using Portal.Domain.Cases;
using Portal.Domain.Common;

namespace Portal.Domain.Intake;

/// <summary>What the public "Get help now" form submits.</summary>
public sealed record IntakeDetails(
    string Language,
    string? CountryCode,
    string? Area,
    string WhatHappened,
    IReadOnlyCollection<HelpKind> HelpWanted,
    IReadOnlyCollection<ContactChannel> ContactChannels,
    string? ContactDetails,
    string? SafeTimes,
    ChildBornAnswer ChildBornAsResult);

/// <summary>An addition the person made later, using their reference code and passphrase.</summary>
public sealed class IntakeAddition
{
    private IntakeAddition()
    {
    }

    internal IntakeAddition(int sequence, string text, string? safeTimes, DateTime atUtc)
    {
        Sequence = sequence;
        Text = text;
        SafeTimes = safeTimes;
        AtUtc = atUtc;
    }

    public int Sequence { get; private set; }

    /// <summary>What the person wrote; may be empty when the addition only changes <see cref="SafeTimes"/>.</summary>
    public string Text { get; private set; } = string.Empty;

    /// <summary>A new instruction on when (and how) it is safe to contact the person; null when this addition left it as it was.</summary>
    public string? SafeTimes { get; private set; }

    public DateTime AtUtc { get; private set; }
}

/// <summary>
/// What the public page received, kept as the person wrote it: nothing is stripped or rewritten (it is rendered as
/// text, never markup). Null characters are refused because they break storage and downstream tools. Becomes a
/// <see cref="Case"/> in Intake.
/// </summary>
public sealed class IntakeSubmission
{
    public const int WhatHappenedMaxLength = 8000;
    public const int AreaMaxLength = 200;
    public const int ContactDetailsMaxLength = 1000;
    public const int SafeTimesMaxLength = 500;
    public const int AdditionMaxLength = 8000;
    public const int PassphraseHashMaxLength = 1000;

    /// <summary>Bounds how much an anonymous holder of a reference code can append.</summary>
    public const int MaxAdditions = 50;

    /// <summary>No 0/O or 1/I/L, so a code read over a bad phone line is not misheard.</summary>
    private const string ReferenceAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    private readonly List<HelpKind> _helpWanted = [];
    private readonly List<ContactChannel> _contactChannels = [];
    private readonly List<IntakeAddition> _additionalInformation = [];

    private IntakeSubmission()
    {
    }

    public Guid Id { get; private set; }

    public DateTime ReceivedAtUtc { get; private set; }

    public string Language { get; private set; } = string.Empty;

    public string? CountryCode { get; private set; }

    public string? Area { get; private set; }

    public string WhatHappened { get; private set; } = string.Empty;

    public IReadOnlyCollection<HelpKind> HelpWanted => _helpWanted;

    public IReadOnlyCollection<ContactChannel> ContactChannels => _contactChannels;

    /// <summary>Identifying; encrypted at rest by infrastructure and copied into the case's identity record.</summary>
    public string? ContactDetails { get; private set; }

    public string? SafeTimes { get; private set; }

    public ChildBornAnswer ChildBornAsResult { get; private set; }

    /// <summary>Given to the person to check on their submission later, e.g. "K7QM-4HXP-R2TD".</summary>
    public string ReferenceCode { get; private set; } = string.Empty;

    /// <summary>Set by infrastructure, which owns the hashing algorithm; the passphrase itself is never stored.</summary>
    public string? PassphraseHash { get; private set; }

    public Guid? CaseId { get; private set; }

    /// <summary>In no guaranteed order once loaded; order by <see cref="IntakeAddition.Sequence"/>.</summary>
    public IReadOnlyList<IntakeAddition> AdditionalInformation => _additionalInformation;

    /// <summary>
    /// Since when the person has added something that the case's advocate has not read; null when all of it was read.
    /// The earliest unread moment is kept, so a reminder measures the longest wait.
    /// </summary>
    public DateTime? UnreadSinceUtc { get; private set; }

    /// <summary>
    /// Contact instructions are safety instructions: the latest the person gave is the one that counts, never an older
    /// one. Null when they never gave any.
    /// </summary>
    public string? CurrentSafeTimes =>
        _additionalInformation.Where(a => a.SafeTimes is not null).MaxBy(a => a.Sequence)?.SafeTimes ?? SafeTimes;

    /// <param name="id">The id the form carried, so that the same form sent again is known as the same submission.</param>
    public static IntakeSubmission Receive(IntakeDetails details, TimeProvider clock, Guid? id = null)
    {
        if (id == Guid.Empty)
        {
            throw new DomainException(ErrorCodes.InvalidValue, "A submission id cannot be empty.");
        }

        var submission = new IntakeSubmission
        {
            Id = id ?? Guid.CreateVersion7(),
            ReceivedAtUtc = clock.GetUtcDateTime(),
            Language = Guard.CultureCode(details.Language, "Language"),
            CountryCode = details.CountryCode is null ? null : Guard.CountryCode(details.CountryCode),
            Area = Guard.Optional(details.Area, "Area", AreaMaxLength),
            WhatHappened = Guard.Required(details.WhatHappened, "What happened", WhatHappenedMaxLength),
            ContactDetails = Guard.Optional(details.ContactDetails, "Contact details", ContactDetailsMaxLength),
            SafeTimes = Guard.Optional(details.SafeTimes, "Safe times", SafeTimesMaxLength),
            ChildBornAsResult = Guard.Defined(details.ChildBornAsResult, "Child born as a result"),
            ReferenceCode = NewReferenceCode(),
        };
        submission._helpWanted.AddRange(details.HelpWanted.Select(h => Guard.Defined(h, "Help wanted")).Distinct());
        submission._contactChannels.AddRange(details.ContactChannels.Select(c => Guard.Defined(c, "Contact channel")).Distinct());
        return submission;
    }

    public void SetPassphraseHash(string passphraseHash)
    {
        if (PassphraseHash is not null)
        {
            throw new DomainException(
                ErrorCodes.PassphraseAlreadySet,
                $"Submission {ReferenceCode} already has a passphrase; it cannot be replaced.");
        }

        PassphraseHash = Guard.Required(passphraseHash, "Passphrase hash", PassphraseHashMaxLength);
    }

    public void LinkToCase(Guid caseId)
    {
        if (CaseId is { } existing && existing != caseId)
        {
            throw new DomainException(
                ErrorCodes.IntakeAlreadyLinked,
                $"Submission {ReferenceCode} already became case {existing}; it cannot become another.");
        }

        CaseId = caseId;
    }

    /// <summary>Part of <see cref="Case.LinkInto"/>: the request now belongs to the case it was linked into.</summary>
    internal void MoveToCase(Guid from, Guid to)
    {
        if (CaseId != from)
        {
            throw new DomainException(ErrorCodes.InvalidValue, $"Submission {ReferenceCode} does not belong to the case being linked.");
        }

        CaseId = to;
    }

    /// <param name="text">What the person adds; may be empty when they only give new <paramref name="safeTimes"/>.</param>
    /// <param name="safeTimes">A new instruction on when it is safe to contact them, or null to leave it as it is.</param>
    public IntakeAddition AddInformation(string? text, string? safeTimes, TimeProvider clock)
    {
        if (_additionalInformation.Count >= MaxAdditions)
        {
            throw new DomainException(
                ErrorCodes.TooMany,
                $"Submission {ReferenceCode} already has {MaxAdditions} additions; please contact the office directly.");
        }

        var sequence = _additionalInformation.Count == 0 ? 1 : _additionalInformation.Max(a => a.Sequence) + 1;
        var words = Guard.Optional(text, "Additional information", AdditionMaxLength);
        var times = Guard.Optional(safeTimes, "Safe times", SafeTimesMaxLength);
        if (words is null && times is null)
        {
            throw new DomainException(ErrorCodes.Required, "An addition needs some text or a new safe time to contact the person.");
        }

        var addition = new IntakeAddition(sequence, words ?? string.Empty, times, clock.GetUtcDateTime());
        _additionalInformation.Add(addition);
        UnreadSinceUtc ??= addition.AtUtc;
        return addition;
    }

    /// <summary>
    /// Someone working <paramref name="survivorCase"/> read what the person added. Only the case's own advocate clears the
    /// mark (a coordinator looking in leaves it for them); while nobody holds the case, whoever works it does.
    /// </summary>
    public void ReadBy(string userId, Case survivorCase)
    {
        if (survivorCase.Id != CaseId)
        {
            throw new DomainException(ErrorCodes.InvalidValue, $"Submission {ReferenceCode} does not belong to case {survivorCase.Number}.");
        }

        if (survivorCase.AssignedAdvocateId is null || survivorCase.AssignedAdvocateId == Guard.UserId(userId, "Reader"))
        {
            UnreadSinceUtc = null;
        }
    }

    /// <summary>
    /// Retention: what the person wrote, how to reach them and their way back to the request (the passphrase's hash: the
    /// status page then answers as for an unknown code) are destroyed; the reference code, dates and the help asked for
    /// stay with the case's figures.
    /// </summary>
    public void EraseAccount()
    {
        WhatHappened = string.Empty;
        Area = null; // a quasi-identifier, sealed with the key the erasure destroys
        ContactDetails = null;
        SafeTimes = null;
        PassphraseHash = null;
        _additionalInformation.Clear();
    }

    private static string NewReferenceCode()
    {
        var chars = RandomNumberGenerator.GetItems<char>(ReferenceAlphabet, 12);
        return $"{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}";
    }
}
